"""The number series: every outgoing document shares one running counter per unit and year
(``KELUAR``); incoming letters get agenda numbers from their own series (``AGENDA``)."""

KELUAR = "keluar"
AGENDA = "agenda"
