package cn.yekuo.hub.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The status link's token (contract §4.10): round trip, any changed character refused, and the expiry boundary. */
class StatusTokenTest {

    private final StatusToken tokens = new StatusToken("status-property-secret-0123456789");

    @Test
    void a_token_is_the_case_number_and_43_url_safe_characters_and_reads_back() {
        String token = tokens.tokenFor("YK-2026-000017");
        assertThat(token).matches("YK-2026-000017\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.caseNoOf(token)).contains("YK-2026-000017");
    }

    @Test
    void another_key_another_case_number_or_a_malformed_token_is_refused() {
        String token = tokens.tokenFor("YK-2026-000017");
        assertThat(new StatusToken("another-secret-of-the-same-length!").caseNoOf(token)).isEmpty();
        String mac = token.substring(token.indexOf('.'));
        assertThat(tokens.caseNoOf("YK-2026-000018" + mac)).as("the MAC of one case on another").isEmpty();
        assertThat(tokens.caseNoOf(token + "A")).isEmpty();
        assertThat(tokens.caseNoOf(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(tokens.caseNoOf("YK-2026-000017")).isEmpty();
        assertThat(tokens.caseNoOf("")).isEmpty();
        assertThat(tokens.caseNoOf(null)).isEmpty();
        assertThat(tokens.caseNoOf("../../etc/passwd")).isEmpty();
        assertThatThrownBy(() -> tokens.tokenFor("YK-2026-17")).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<String> caseNumbers() {
        return Combinators.combine(Arbitraries.integers().between(2000, 2099), Arbitraries.integers().between(1, 999_999))
                .as((year, seq) -> "YK-%d-%06d".formatted(year, seq));
    }

    @Provide
    Arbitrary<Character> tokenCharacters() {
        return Arbitraries.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".chars()
                .mapToObj(c -> (char) c).toList());
    }

    @Property
    void anySingleCharacterChangedAnywhereIsRefused(@ForAll("caseNumbers") String caseNo,
                                                    @ForAll @IntRange(min = 0, max = 57) int position,
                                                    @ForAll("tokenCharacters") char replacement) {
        String token = tokens.tokenFor(caseNo);
        Assume.that(token.charAt(position) != replacement);
        String changed = token.substring(0, position) + replacement + token.substring(position + 1);

        assertThat(tokens.caseNoOf(changed)).as(changed).isEmpty();
        assertThat(tokens.caseNoOf(token)).contains(caseNo);
    }

    @Property
    void aLinkIsHonouredUpToClosingPlusThePeriodAndExpiredOneNanosecondLater(
            @ForAll @LongRange(min = 1_600_000_000L, max = 2_000_000_000L) long closedSecond,
            @ForAll @IntRange(min = 0, max = 400) int days, @ForAll @LongRange(min = 0, max = 86_400_000L) long millisBefore) {
        OffsetDateTime closed = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(closedSecond), ZoneOffset.ofHours(8));
        Duration valid = Duration.ofDays(days);
        OffsetDateTime boundary = closed.plus(valid);

        assertThat(StatusPages.expired(closed, valid, boundary)).as("at the boundary").isFalse();
        assertThat(StatusPages.expired(closed, valid, boundary.minusNanos(millisBefore * 1_000_000))).isFalse();
        assertThat(StatusPages.expired(closed, valid, boundary.plusNanos(1))).as("just after").isTrue();
        assertThat(StatusPages.expired(closed, valid, boundary.plusDays(1).withOffsetSameInstant(ZoneOffset.UTC))).isTrue();
    }
}
