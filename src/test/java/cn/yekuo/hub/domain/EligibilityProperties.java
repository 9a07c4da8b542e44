package cn.yekuo.hub.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** The 50 kVA rule over the whole range the schema allows (0 – 10 000 000 kVA each), densest around the threshold. */
class EligibilityProperties {

    private static final BigDecimal TEN_KV = BigDecimal.TEN;

    @Provide
    Arbitrary<Integer> kva() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 120)),
                Tuple.of(1, Arbitraries.integers().between(0, 10_000_000)));
    }

    @Property(tries = 2000)
    void a_capacity_increase_is_eligible_exactly_when_existing_plus_increase_reaches_50_kVA(
            @ForAll("kva") int increase, @ForAll("kva") int existing) {
        boolean eligible = Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, increase, existing).isEmpty();

        assertThat(eligible).as("existing %d + increase %d", existing, increase).isEqualTo(existing + increase >= 50);
        Statistics.label("eligible").collect(eligible);
        Statistics.label("increase alone under 50").collect(increase < 50);
        Statistics.label("eligible").coverage(c -> {
            c.check(true).count(n -> n > 0);
            c.check(false).count(n -> n > 0);
        });
        Statistics.label("increase alone under 50").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Property(tries = 1000)
    void only_the_total_of_a_capacity_increase_counts_not_how_it_splits(@ForAll("kva") int increase,
                                                                       @ForAll("kva") int existing) {
        int total = increase + existing;

        assertThat(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, increase, existing).isEmpty())
                .isEqualTo(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, total, 0).isEmpty())
                .isEqualTo(Eligibility.whyNotEligible("CAPACITY_INCREASE", TEN_KV, 0, total).isEmpty());
    }

    @Property(tries = 1000)
    void for_a_new_install_or_a_relocation_the_existing_capacity_changes_nothing(
            @ForAll("kva") int applied, @ForAll("kva") int existing, @ForAll("otherTypes") String type) {
        assertThat(Eligibility.whyNotEligible(type, TEN_KV, applied, existing))
                .isEqualTo(Eligibility.whyNotEligible(type, TEN_KV, applied, 0));
        assertThat(Eligibility.whyNotEligible(type, TEN_KV, applied, existing).isEmpty()).isEqualTo(applied >= 50);
    }

    @Provide
    Arbitrary<String> otherTypes() {
        return Arbitraries.of("NEW_INSTALL", "RELOCATION");
    }
}
