package cn.yekuo.hub.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EligibilityTest {

    private static final BigDecimal TEN_KV = BigDecimal.TEN;

    @Test
    void an_800_kVA_customer_asking_for_30_kVA_more_is_eligible_on_the_total_after_the_increase() {
        assertThat(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, 30, 800)).isEmpty();
        assertThat(Eligibility.judgedKva("CAPACITY_INCREASE", 30, 800)).isEqualTo(830);
    }

    @Test
    void a_capacity_increase_is_eligible_from_exactly_50_kVA_in_total() {
        assertThat(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, 20, 30)).isEmpty();
        assertThat(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, 20, 29)).isPresent();
    }

    @Test
    void a_capacity_increase_under_50_kVA_in_total_names_the_total_and_its_parts() {
        String reason = Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, 15, 30).orElseThrow();

        assertThat(reason).contains("增容后专用变压器容量 45 kVA（原有 30 kVA + 增容 15 kVA）低于 50 kVA")
                .contains("dedicated transformer capacity after the increase 45 kVA (existing 30 kVA + increase 15 kVA)"
                        + " is below 50 kVA");
    }

    @Test
    void a_new_install_is_judged_on_the_capacity_applied_for_alone() {
        assertThat(Eligibility.whyNotEligible("NEW_INSTALL", TEN_KV, 30, 800).orElseThrow()).contains("专用变压器容量 30 kVA 低于 50 kVA", "dedicated transformer capacity 30 kVA is below 50 kVA");
        assertThat(Eligibility.judgedKva("NEW_INSTALL", 30, 800)).isEqualTo(30);
    }

    @Test
    void a_relocation_is_judged_on_the_capacity_applied_for_alone() {
        assertThat(Eligibility.whyNotEligible("RELOCATION", TEN_KV, 30, 800)).isPresent();
        assertThat(Eligibility.whyNotEligible("RELOCATION", TEN_KV, 50, 0)).isEmpty();
    }

    @Test
    void every_failed_condition_is_named_in_chinese_then_english() {
        String reason = Eligibility.whyNotEligible("NEW_INSTALL", new BigDecimal("0.4"), 30, 0).orElseThrow();

        assertThat(reason).startsWith("不属于高压客户代理制范围：供电电压 0.4 kV 低于 10 kV；专用变压器容量 30 kVA 低于 50 kVA")
                .endsWith("(not eligible: supply voltage 0.4 kV is below 10 kV; dedicated transformer capacity 30 kVA is below 50 kVA)");
    }

    @Test
    void a_low_voltage_capacity_increase_is_not_eligible_whatever_its_total() {
        String reason = Eligibility.whyNotEligible("CAPACITY_INCREASE", new BigDecimal("0.4"), 30, 800).orElseThrow();

        assertThat(reason).contains("供电电压 0.4 kV 低于 10 kV").doesNotContain("kVA");
    }
}
