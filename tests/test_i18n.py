import datetime as dt

from coalition_atlas.i18n import STRINGS, direction, format_day, format_partial_date, t
from coalition_atlas.vocabulary import CATEGORIES, DATINGS


def test_every_label_in_both_languages():
    for key, (ar, en) in STRINGS.items():
        assert ar.strip() and en.strip(), key
        assert ar != en or key == "app_title", key
    for ar, en, _ in list(CATEGORIES.values()) + list(DATINGS.values()):
        assert ar and en


def test_dates_through_babel():
    assert format_day(dt.date(2019, 3, 23), "en") == "23 March 2019"
    # both calendars of month names, as the documents write them; Western digits
    assert format_day(dt.date(2019, 3, 23), "ar") == "23 آذار/مارس 2019"
    assert format_partial_date("2018-02", "ar") == "شباط/فبراير 2018"
    assert format_partial_date("2018-02", "en") == "February 2018"
    assert format_partial_date("2012", "ar") == "2012"
    assert format_partial_date("2019-06-25", "ar") == "25 حزيران/يونيو 2019"


def test_direction_and_formatting():
    assert direction("ar") == "rtl" and direction("en") == "ltr"
    assert t("events_shown", "en", n=3, total=66) == "3 of 66 events"
