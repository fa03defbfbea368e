"""The default DOCX templates of sopdocs (installed as ``sopdocs.templates``).

They are made by ``python -m sopdocs.templates.build`` (``templates/build.py``); an office may
copy one, change it in Word and point its profile's ``templates`` folder at the copy.
"""
