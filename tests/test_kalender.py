"""Working time (jam kerja, weekends, national holidays, cuti bersama) and SOP standard times
counted in it; the SOP's order of steps in a case, and forcing a step out of it.

Every time here is a fixed datetime of 2026: Friday 20 November, the weekend of 21–22
November; Friday 14 August, the weekend, Monday 17 August (Hari Kemerdekaan); Thursday 24
December (cuti bersama of the sample office), Friday 25 December (Natal)."""

import re
import shutil
from datetime import date, datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from sopdocs.cli import cli
from sopdocs.errors import CatalogueError, OfficeError
from sopdocs.kalender import (
    Lama,
    add_working,
    date_warning,
    is_working_day,
    lama,
    national_holiday,
    next_working_moment,
    working_minutes,
)
from sopdocs.office import JamKerja
from sopdocs.registry import Case, CaseStep, open_register
from sopdocs.sop.cases import case_lines, check_order, due, progress
from sopdocs.sop.catalogue import builtin_sops
from sopdocs.sop.model import Waktu
from sopdocs.sop.steps import open_case, run_step

SOPS = builtin_sops()
HOSTING_FACTS = yaml.safe_load((SAMPLES / "kasus-hosting.yaml").read_text())
LEGACY = ROOT / "tests" / "data" / "sopdocs-v0.db"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute)


@pytest.fixture
def office(workspace):
    """The sample office: Senin–Kamis 07:30–16:00, Jumat 07:30–16:30, cuti bersama on
    24 Desember 2026."""
    return workspace.office


# ------------------------------------------------------------------------- working minutes

def test_working_minutes_skip_the_weekend(office):
    # Friday 16:00–16:30, then Monday 07:30–08:00
    assert working_minutes(at(11, 20, 16), at(11, 23, 8), office) == 60
    assert working_minutes(at(11, 21, 9), at(11, 22, 15), office) == 0  # Saturday to Sunday


def test_friday_works_longer(office):
    assert working_minutes(at(11, 19, 7, 30), at(11, 19, 17), office) == 510  # Thursday
    assert working_minutes(at(11, 20, 7, 30), at(11, 20, 17), office) == 540  # Friday


def test_before_opening_and_after_closing_do_not_count(office):
    assert working_minutes(at(11, 24, 6), at(11, 24, 18), office) == 510
    assert working_minutes(at(11, 24, 6), at(11, 24, 7, 45), office) == 15
    assert working_minutes(at(11, 24, 16, 5), at(11, 25, 7, 30), office) == 0
    assert working_minutes(at(11, 24, 10), at(11, 24, 9), office) == 0  # end before start


def test_a_national_holiday_is_not_working_time(office):
    assert national_holiday(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert not is_working_day(date(2026, 8, 17), office)
    # Friday 14 August 16:00–16:30, (weekend, Monday 17 August), Tuesday 07:30–08:00
    assert working_minutes(at(8, 14, 16), at(8, 18, 8), office) == 60


def test_cuti_bersama_is_not_working_time(office):
    # Wednesday 23 December 15:00–16:00; 24 (cuti bersama), 25 (Natal), the weekend; Monday
    assert working_minutes(at(12, 23, 15), at(12, 28, 8), office) == 90
    without = office.model_copy(update={"cuti_bersama": []})
    assert is_working_day(date(2026, 12, 24), without)
    assert working_minutes(at(12, 23, 15), at(12, 28, 8), without) == 90 + 510


def test_a_day_the_profile_does_not_list_is_not_a_working_day(office):
    with_saturday = office.model_copy(update={"jam_kerja": {
        **office.jam_kerja, "sabtu": JamKerja.model_validate({"mulai": "08:00",
                                                              "selesai": "12:00"})}})
    assert working_minutes(at(11, 20, 16), at(11, 23, 8), with_saturday) == 60 + 240
    none = office.model_copy(update={"jam_kerja": {}})
    with pytest.raises(OfficeError, match="no working day"):
        add_working(at(11, 20, 10), none, minutes=3)


# ------------------------------------------------------------------ adding working time

def test_minutes_run_on_into_the_next_working_morning(office):
    assert add_working(at(11, 19, 15), office, minutes=60) == at(11, 19, 16)  # to closing
    assert add_working(at(11, 19, 15, 30), office, minutes=60) == at(11, 20, 8)
    assert add_working(at(11, 20, 16), office, minutes=120) == at(11, 23, 9)  # Friday → Monday
    assert add_working(at(11, 21, 10), office, minutes=3) == at(11, 23, 7, 33)  # Saturday
    assert next_working_moment(at(11, 19, 16), office) == at(11, 20, 7, 30)


def test_one_hari_is_the_same_time_on_the_next_working_day(office):
    assert add_working(at(11, 19, 10), office, days=1) == at(11, 20, 10)
    assert add_working(at(11, 20, 10), office, days=1) == at(11, 23, 10)  # over the weekend
    assert add_working(at(8, 14, 10), office, days=1) == at(8, 18, 10)  # and 17 August
    assert add_working(at(11, 20, 16, 15), office, days=1) == at(11, 23, 16)  # Monday closes
    assert add_working(at(11, 21, 10), office, days=1) == at(11, 24, 7, 30)  # from Saturday
    assert add_working(at(11, 19, 17), office, days=1) == at(11, 23, 7, 30)  # after hours
    assert add_working(at(11, 16, 9), office, days=7) == at(11, 25, 9)
    assert add_working(at(11, 19, 10), office, days=0) == at(11, 19, 10)


def test_working_time_reads_as_officials_write_it(office):
    assert str(lama(at(11, 23, 8), at(11, 24, 10), office)) == "1 hari kerja 2 jam"
    assert str(lama(at(11, 20, 16), at(11, 23, 8), office)) == "1 jam kerja"
    assert str(lama(at(11, 20, 16, 15), at(11, 23, 8), office)) == "45 menit kerja"
    assert str(lama(at(11, 20, 10), at(11, 27, 10), office)) == "5 hari kerja"
    assert str(lama(at(11, 23, 8), at(11, 23, 8), office)) == "0 menit kerja"
    assert str(Lama(timedelta(minutes=135), 0, timedelta(minutes=135))) == "2 jam 15 menit kerja"
    took = lama(at(8, 14, 10), at(8, 18, 11), office)  # Friday to Tuesday: one working day
    assert (took.days, took.minutes, str(took)) == (1, 390 + 210, "1 hari kerja 1 jam")


# ------------------------------------------------------------- standard times of a case

def hosting_case(step_8_done: datetime, step_6_done: datetime | None = None) -> Case:
    """A hosting case in memory: steps 1–7 done on Friday 14 August 2026 by 10:00 (step 6,
    tentatif, when given), then step 8 (standard 1 hari)."""
    times = [at(8, 14, 9, 3 * n) for n in range(1, 8)]
    if step_6_done is not None:
        times[5:7] = [step_6_done, step_6_done + timedelta(minutes=30)]
    steps = [CaseStep(n, t, "ya" if n in (4, 7) else None) for n, t in enumerate(times, 1)]
    steps.append(CaseStep(8, step_8_done))
    return Case("HOSTING-2026-0001", "hosting", {}, at(8, 14, 9), 9, steps=tuple(steps))


def test_1_hari_over_a_weekend_and_a_holiday_is_on_time_within_one_working_day(office):
    step_7 = at(8, 14, 9, 21)
    assert due(SOPS["hosting"].step(8).waktu, step_7, office) == at(8, 18, 9, 21)
    on_time = progress(SOPS["hosting"], hosting_case(at(8, 17, 14)), at(8, 18, 9), office)
    done_8 = on_time.done[7]
    assert done_8.step.no == 8 and not done_8.late  # 3 calendar days, on the holiday
    assert done_8.took.minutes == working_minutes(step_7, at(8, 14, 16, 30), office)
    assert done_8.allowed is not None and done_8.allowed.minutes == 429 + 111
    still = progress(SOPS["hosting"], hosting_case(at(8, 18, 9, 20)), at(8, 18, 10), office)
    assert not still.done[7].late  # Tuesday 09:20, a minute inside the working day
    late = progress(SOPS["hosting"], hosting_case(at(8, 18, 9, 22)), at(8, 18, 10), office)
    assert late.done[7].late and str(late.done[7].took) == "1 hari kerja 1 menit"


def test_minutes_standards_count_working_minutes(office):
    sop = SOPS["hosting"]  # step 1: 3 menit
    opened = at(11, 20, 16, 29)  # Friday, a minute before closing
    case = Case("HOSTING-2026-0001", "hosting", {}, opened, 2,
                steps=(CaseStep(1, at(11, 23, 7, 31)),))  # Monday: 2 working minutes later
    state = progress(sop, case, at(11, 23, 7, 33), office)
    assert not state.done[0].late and str(state.done[0].took) == "2 menit kerja"
    assert not state.overdue and state.due == at(11, 23, 7, 34)  # step 2: 3 menit
    assert str(state.waiting) == "2 menit kerja"
    assert progress(sop, case, at(11, 23, 7, 35), office).overdue
    waiting = Case("HOSTING-2026-0001", "hosting", {}, opened, 1)  # step 1 not done yet
    weekend = progress(sop, waiting, at(11, 22, 23), office)  # the clock stood still
    assert not weekend.overdue and weekend.due == at(11, 23, 7, 32)
    assert progress(sop, waiting, at(11, 23, 7, 33), office).overdue


def test_tentatif_is_never_late(office):
    sop = SOPS["hosting"]  # step 6: tentatif
    case = hosting_case(at(11, 3, 9), step_6_done=at(10, 30, 9))
    state = progress(sop, case, at(11, 3, 10), office)
    assert state.done[5].step.waktu.teks == "tentatif"
    assert state.done[5].took.days > 10 and not state.done[5].late
    assert state.done[5].allowed is None and state.done[5].due is None
    waiting = Case("HOSTING-2026-0001", "hosting", {}, at(8, 14, 9), 6, steps=tuple(
        CaseStep(n, at(8, 14, 9, n), "ya" if n == 4 else None) for n in range(1, 6)))
    later = progress(sop, waiting, at(12, 1, 9), office)
    assert later.next_step.no == 6 and not later.overdue and later.due is None


def test_every_standard_time_of_the_catalogue_has_a_due_time(office):
    start = at(11, 20, 16)
    for sop in SOPS.values():
        for step in sop.langkah:
            when = due(step.waktu, start, office)
            assert (when is None) == (step.waktu.menit is None), (sop.kunci, step.no)
            assert when is None or when > start
    assert due(Waktu.model_validate("1 minggu"), at(11, 16, 9), office) == at(11, 23, 9)
    assert due(Waktu.model_validate("1 jam"), start, office) == at(11, 23, 8)
    assert due(Waktu.model_validate("sesuai kebutuhan"), start, office) is None


# -------------------------------------------------------------------------- date warnings

def test_date_warning_names_why_a_day_is_not_a_working_day(office):
    assert date_warning(date(2026, 11, 22), office) == "22 November 2026 is a Sunday"
    assert date_warning(date(2026, 11, 21), office) == "21 November 2026 is a Saturday"
    assert date_warning(date(2026, 8, 17), office) == (
        "17 Agustus 2026 is a national holiday: Hari Kemerdekaan Republik Indonesia")
    assert date_warning(date(2026, 12, 24), office) == "24 Desember 2026 is cuti bersama"
    assert date_warning(date(2026, 11, 24), office) is None  # a Tuesday
    four_days = office.model_copy(update={"jam_kerja": {
        k: v for k, v in office.jam_kerja.items() if k != "jumat"}})
    assert date_warning(date(2026, 11, 20), four_days) == (
        "20 November 2026 is a Friday, not a working day of the office (jam_kerja)")


# ------------------------------------------------------------------ the order of steps

def test_check_order_allows_only_the_next_step():
    sop = SOPS["hosting"]
    case = Case("HOSTING-2026-0001", "hosting", {}, at(11, 23, 8), 4)
    assert check_order(sop, case, 4) is None
    with pytest.raises(CatalogueError, match=r"case HOSTING-2026-0001 is at step 4 "
                                             r"\(.+\), not step 8; do step 4 first") as info:
        check_order(sop, case, 8)
    assert info.value.option == "force"
    assert check_order(sop, case, 8, force=True, reason="  sudah   diverifikasi ") == \
        "sudah diverifikasi"
    assert check_order(sop, case, 4, force=True, reason="x") is None  # in order: not forced
    for reason in (None, "", "   "):
        with pytest.raises(CatalogueError, match="a forced step needs a reason") as info:
            check_order(sop, case, 8, force=True, reason=reason)
        assert info.value.option == "reason"
    with pytest.raises(CatalogueError, match="only for a step forced"):
        check_order(sop, case, 8, reason="x")
    with pytest.raises(CatalogueError, match="control character"):
        check_order(sop, case, 8, force=True, reason="a\x00b")
    with pytest.raises(CatalogueError, match="only a step recorded in a case"):
        check_order(sop, None, 8, force=True, reason="x")
    assert check_order(sop, None, 8) is None  # without a case there is no order


def test_a_step_out_of_order_is_refused_then_forced_with_its_reason(workspace, tmp_path):
    sop = SOPS["hosting"]
    case = open_case(workspace, sop, HOSTING_FACTS, now=at(11, 23, 8))
    out = tmp_path / "out"
    with pytest.raises(CatalogueError, match=r"is at step 1 .*not step 2") as info:
        run_step(workspace, sop, 2, case_id=case.id, out_dir=out, now=at(11, 23, 8, 5))
    assert info.value.option == "force"
    with pytest.raises(CatalogueError, match="needs a reason"):
        run_step(workspace, sop, 2, case_id=case.id, out_dir=out, force=True)
    assert not out.exists()
    assert open_register(workspace.register_path).case(case.id).steps == ()
    result = run_step(workspace, sop, 2, case_id=case.id, out_dir=out, force=True,
                      reason="surat diterima langsung oleh Kadis", now=at(11, 23, 8, 5))
    assert result.case.next_step == 3 and len(result.made) == 1
    (done,) = result.case.steps
    assert done.forced and done.force_reason == "surat diterima langsung oleh Kadis"
    result = run_step(workspace, sop, 3, case_id=case.id, out_dir=out, now=at(11, 23, 9))
    assert not result.case.steps[-1].forced
    lines = case_lines(workspace, case.id, now=at(11, 23, 9, 1))
    at_2 = next(i for i, line in enumerate(lines) if line.startswith("2\t"))
    assert lines[at_2].split("\t")[2:] == ["5 menit kerja", "3 menit", "1", "LATE"]
    assert lines[at_2 + 1] == "  forced out of order: surat diterima langsung oleh Kadis"
    assert lines[-1].startswith("next: step 4: ")
    assert lines[-1].endswith("(waiting 1 menit kerja, standard 3 menit, due 2026-11-23 09:03)")


def test_a_decision_may_lead_back_to_the_same_step(workspace, tmp_path):
    sop = SOPS["hosting"]
    case = open_case(workspace, sop, {**HOSTING_FACTS, "kekurangan": "surat kuasa PIC"})
    for no in (1, 2, 3):
        run_step(workspace, sop, no, case_id=case.id, out_dir=tmp_path)
    again = run_step(workspace, sop, 4, decision="tidak", case_id=case.id, out_dir=tmp_path)
    assert again.case.next_step == 4
    with pytest.raises(CatalogueError, match="is at step 4"):
        run_step(workspace, sop, 5, case_id=case.id, out_dir=tmp_path)
    assert run_step(workspace, sop, 4, decision="ya", case_id=case.id,
                    out_dir=tmp_path).case.next_step == 5


def test_cli_refuses_a_step_out_of_order_and_records_a_forced_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    runner = CliRunner()
    case_id = runner.invoke(cli, ["case", "new", "hosting", "--data",
                                  str(SAMPLES / "kasus-hosting.yaml")]).stdout.strip()
    refused = runner.invoke(cli, ["step", "hosting", "2", "--case", case_id])
    assert refused.exit_code == 1 and refused.stdout == ""
    assert re.fullmatch(rf"Error: case {case_id} is at step 1 \(.+\), not step 2; do step 1 "
                        r"first, or force step 2 with a reason \(--force\)",
                        refused.stderr.splitlines()[-1])
    no_reason = runner.invoke(cli, ["step", "hosting", "2", "--case", case_id, "--force"])
    assert no_reason.exit_code == 1
    assert no_reason.stderr.splitlines()[-1] == (
        "Error: a forced step needs a reason: say why it is done out of order (--reason)")
    assert not (tmp_path / "output").exists()
    forced = runner.invoke(cli, ["step", "hosting", "2", "--case", case_id, "--force",
                                 "--reason", "langkah 1 dicatat di buku agenda"])
    assert forced.exit_code == 0, forced.output
    assert f"{case_id}: step 2 recorded (forced out of order); next: step 3" in forced.stderr
    shown = runner.invoke(cli, ["case", "show", case_id]).stdout.splitlines()
    assert "  forced out of order: langkah 1 dicatat di buku agenda" in shown
    assert re.search(r"menit kerja|jam kerja|hari kerja", "\n".join(shown))


def test_steps_recorded_before_forcing_existed_still_load(workspace):
    shutil.copy(LEGACY, workspace.register_path)
    case = open_register(workspace.register_path).case("HOSTING-2026-0001")
    assert [s.step for s in case.steps] == [1, 2]
    assert not any(s.forced for s in case.steps)
    lines = case_lines(workspace, case.id, now=datetime(2026, 12, 1, 9))
    assert lines[-1].startswith("next: step 3") and not any("forced" in x for x in lines)


def test_national_holidays_are_kept_per_year_and_read_back(tmp_path, monkeypatch):
    """A year's holidays are computed once (importing the holidays package costs about
    100 ms a command), kept in the cache folder, and computed anew if the file is broken."""
    import holidays

    from sopdocs import kalender

    monkeypatch.setenv("SOPDOCS_CACHE", str(tmp_path))
    fresh = kalender._national.__wrapped__(2030)
    assert fresh[date(2030, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    (kept,) = tmp_path.glob("libur-nasional-2030-*.json")

    def not_again(*args, **kwargs):
        raise AssertionError("computed again although kept")

    with monkeypatch.context() as m:
        m.setattr(holidays, "country_holidays", not_again)
        assert kalender._national.__wrapped__(2030) == fresh
    kept.write_text("{not json", "utf-8")
    assert kalender._national.__wrapped__(2030) == fresh
    assert kalender._read_holidays(kept) == fresh  # and kept again, whole
