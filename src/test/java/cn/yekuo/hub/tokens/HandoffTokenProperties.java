package cn.yekuo.hub.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class HandoffTokenProperties {

    private final HandoffToken tokens = new HandoffToken("property-secret");

    @Provide
    Arbitrary<String> caseNumbers() {
        return Combinators.combine(Arbitraries.integers().between(2000, 2099), Arbitraries.integers().between(1, 999_999))
                .as((year, seq) -> "YK-%d-%06d".formatted(year, seq));
    }

    @Property
    void tokenForThenCheckRoundTrips(@ForAll("caseNumbers") String caseNo, @ForAll @IntRange(min = 1, max = 9999) int taskNo,
                                     @ForAll("prefixes") String prefix) {
        String token = tokens.tokenFor(caseNo, taskNo);
        TokenCheck check = tokens.check(prefix + token + " 请提供供电方案");

        assertThat(check.isAuthentic()).isTrue();
        TokenRef.Task found = (TokenRef.Task) check.token().orElseThrow();
        assertThat(found.caseNo()).isEqualTo(caseNo);
        assertThat(found.taskNo()).isEqualTo(taskNo);
        assertThat(found.text()).isEqualTo(token);
    }

    @Property
    void anySingleCharacterChangeInTheHexIsForged(@ForAll("caseNumbers") String caseNo,
                                                  @ForAll @IntRange(min = 1, max = 9999) int taskNo,
                                                  @ForAll @IntRange(min = 0, max = 11) int position,
                                                  @ForAll("hexDigits") char replacement) {
        String token = tokens.tokenFor(caseNo, taskNo);
        int hexStart = token.length() - 13;
        char original = token.charAt(hexStart + position);
        net.jqwik.api.Assume.that(replacement != original);
        String changed = token.substring(0, hexStart + position) + replacement + token.substring(hexStart + position + 1);

        assertThat(tokens.check("回复: " + changed).status()).isEqualTo(TokenCheck.Status.FORGED);
    }

    @Provide
    Arbitrary<Character> hexDigits() {
        return Arbitraries.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                'a', 'b', 'c', 'd', 'e', 'f', 'A', 'B', 'C', 'D', 'E', 'F');
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "Re: ", "回复: ", "答复: ", "回复: 答复: Re: ", "Fw: ", "RE:");
    }
}
