"""Dates in words across the site and the admin: "5 November 2019", never 05/11/2019.

Half the world reads 05/11/2019 as 11 May. Form inputs take and show ISO dates (2019-11-05),
which nobody misreads and which the admin's calendar writes; partial dates ("November 2025")
are formatted by claims.display.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
FIRST_DAY_OF_WEEK = 1
