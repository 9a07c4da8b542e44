package cn.yekuo.hub.returnvisits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** 满意率: 满意 among the customers reached (满意, 一般, 不满意); the unreachable do not count either way. */
class SatisfactionRateTest {

    @Test
    void satisfiedAmongThoseReachedWithOneDecimalAndADashWhenNobodyWasReached() {
        assertThat(ReturnVisits.satisfactionRate(2, 1, 0)).isEqualTo("66.7%");
        assertThat(ReturnVisits.satisfactionRate(1, 0, 2)).isEqualTo("33.3%");
        assertThat(ReturnVisits.satisfactionRate(5, 0, 0)).isEqualTo("100.0%");
        assertThat(ReturnVisits.satisfactionRate(0, 0, 1)).isEqualTo("0.0%");
        assertThat(ReturnVisits.satisfactionRate(0, 0, 0)).isEqualTo("—");
    }
}
