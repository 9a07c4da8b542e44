package cn.yekuo.hub.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form RFC 3339 allows is read as the instant it names; what it does not allow is refused. */
class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
            "2016-12-31T23:59:60Z, 2016-12-31T23:59:59.999999999Z",
            "2016-12-31t23:59:60.5z, 2016-12-31T23:59:59.999999999Z",
            "2026-11-27t09:30:00z, 2026-11-27T09:30:00Z",
            "2026-11-27T09:30:00.123456789012+08:00, 2026-11-27T09:30:00.123456789+08:00",
            "2026-11-27T09:30:00.1+08:00, 2026-11-27T09:30:00.100+08:00",
            "2026-11-27T01:30:00-00:00, 2026-11-27T01:30:00Z",
            "2026-11-27T09:30:00+05:45, 2026-11-27T09:30:00+05:45",
            "2026-11-27T23:30:00+23:30, 2026-11-27T00:00:00Z",
            "2026-11-27 09:30:00+08:00, 2026-11-27T09:30:00+08:00",
    })
    void reads_every_valid_form(String text, String expected) {
        OffsetDateTime parsed = Rfc3339.parse(text);
        assertThat(parsed.toInstant()).isEqualTo(OffsetDateTime.parse(expected).toInstant());
    }

    @Test
    void a_leap_second_stays_on_its_day_and_after_the_second_before_it() {
        OffsetDateTime leap = Rfc3339.parse("2016-12-31T23:59:60Z");
        assertThat(leap).isAfter(OffsetDateTime.parse("2016-12-31T23:59:59Z"))
                .isBefore(OffsetDateTime.parse("2017-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T09:30:00", "2026-11-27T09:30+08:00", "2026-02-30T09:30:00Z", "2026-11-27T24:00:00Z",
            "2026-11-27T09:30:61Z", "2026-11-27T09:30:00+24:00", "2026-11-27T09:30:00.+08:00", "20261127T093000Z", ""})
    void refuses_what_rfc3339_does_not_allow(String text) {
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
