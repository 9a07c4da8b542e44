package cn.yekuo.hub.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandoffTokenTest {

    private final HandoffToken tokens = new HandoffToken("hub-secret");

    @Test
    void tokenIsCaseNumberTaskNumberAndFirstTwelveHexOfHmacSha256OverCaseSlashTask() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("hub-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal("YK-2026-000017/T3".getBytes(StandardCharsets.UTF_8)));

        assertThat(tokens.tokenFor("YK-2026-000017", 3)).isEqualTo("[YK-2026-000017/T3/" + hex.substring(0, 12) + "]");
    }

    @Test
    void stringAndByteSecretsGiveTheSameTokens() {
        assertThat(new HandoffToken("hub-secret".getBytes(StandardCharsets.UTF_8)).tokenFor("YK-2026-000017", 3))
                .isEqualTo(tokens.tokenFor("YK-2026-000017", 3));
    }

    @Test
    void anotherSecretGivesAnotherToken() {
        assertThat(new HandoffToken("other").tokenFor("YK-2026-000017", 3)).isNotEqualTo(tokens.tokenFor("YK-2026-000017", 3));
    }

    @Test
    void emptySecretIsRefused() {
        assertThatThrownBy(() -> new HandoffToken(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedCaseNumbersAndTaskNumbersAreRefused() {
        assertThatThrownBy(() -> tokens.tokenFor("2026-000017", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.tokenFor("YK-2026-000017", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "回复: ", "答复：", "Re: ", "RE: ", "Fw: ", "FW: ", "转发: ", "回复: 答复: Re: ", "Re: Re: 回复: "})
    void tokenIsFoundBehindAnyReplyOrForwardPrefix(String prefix) {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        TokenCheck check = tokens.check(prefix + token + " 请提供供电方案(技术部分) Supply scheme, technical — 杭州东郊新材料有限公司");

        assertThat(check.status()).isEqualTo(TokenCheck.Status.AUTHENTIC);
        assertThat(check.token()).contains(new TokenRef.Task("YK-2026-000017", 3, token.substring(19, 31)));
    }

    @Test
    void tokenInTheMiddleOrAtTheEndOfTheSubjectIsFound() {
        String token = tokens.tokenFor("YK-2026-000017", 12);
        assertThat(tokens.check("关于东郊新材料 " + token).isAuthentic()).isTrue();
        assertThat(tokens.find("关于东郊新材料" + token + "的答复")).map(TokenRef::text).contains(token);
    }

    @Test
    void subjectWithoutTokenHasNone() {
        assertThat(tokens.check("回复: 请提供供电方案").status()).isEqualTo(TokenCheck.Status.NONE);
        assertThat(tokens.check(null).status()).isEqualTo(TokenCheck.Status.NONE);
        assertThat(tokens.find("[YK-2026-17/T3/9f2a1c]")).isEmpty();
    }

    @Test
    void wellFormedTokenWithWrongHexIsForgedNotMissing() {
        TokenCheck check = tokens.check("Re: [YK-2026-000017/T3/000000] 方案");

        assertThat(check.status()).isEqualTo(TokenCheck.Status.FORGED);
        assertThat(check.token()).map(TokenRef::text).contains("[YK-2026-000017/T3/000000]");
    }

    @Test
    void tokenMovedToAnotherTaskIsForged() {
        String mac = tokens.tokenFor("YK-2026-000017", 3).substring(19, 31);
        assertThat(tokens.check("[YK-2026-000017/T4/" + mac + "]").status()).isEqualTo(TokenCheck.Status.FORGED);
        assertThat(tokens.check("[YK-2026-000018/T3/" + mac + "]").status()).isEqualTo(TokenCheck.Status.FORGED);
    }

    @Test
    void upperCasedHexIsForgedBecauseTheHubOnlyWritesLowerCase() {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        TokenCheck check = tokens.check(token.toUpperCase());
        // only the hex can change case; if it happens to be all digits the token stays authentic
        boolean hexHasLetters = token.substring(19, 31).chars().anyMatch(Character::isLetter);
        assertThat(check.status()).isEqualTo(hexHasLetters ? TokenCheck.Status.FORGED : TokenCheck.Status.AUTHENTIC);
    }

    @Test
    void anAuthenticTokenBesideAnotherTokenIsNotAuthentic() {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        TokenCheck check = tokens.check("Fw: [YK-2026-000099/T1/abcdef] Re: " + token);

        assertThat(check.status()).isEqualTo(TokenCheck.Status.SEVERAL);
        assertThat(check.distinct()).isEqualTo(2);
    }

    @Test
    void aForwardedChainRepeatingTheSameTokenIsOneToken() {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        TokenCheck check = tokens.check("Fw: Re: " + token + " 方案 Re: " + token);

        assertThat(check.isAuthentic()).isTrue();
        assertThat(check.token()).map(TokenRef::text).contains(token);
    }

    @Test
    void hundredsOfGuessesForOneTaskWithOneRightAreRefused() {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        StringBuilder subject = new StringBuilder("Re: ");
        for (int i = 0; i < 300; i++) {
            subject.append("[YK-2026-000017/T3/").append(String.format("%06x", i)).append("] ");
        }
        subject.append(token);

        TokenCheck check = tokens.check(subject.toString());

        assertThat(check.status()).isEqualTo(TokenCheck.Status.SEVERAL);
        assertThat(check.distinct()).isEqualTo(301);
    }

    @Test
    void anOldSixHexTokenStillVerifiesAndIsMarkedLegacy() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("hub-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal("YK-2026-000017/T3".getBytes(StandardCharsets.UTF_8)));

        TokenCheck old = tokens.check("Re: [YK-2026-000017/T3/" + hex.substring(0, 6) + "] 方案");
        TokenCheck current = tokens.check("Re: " + tokens.tokenFor("YK-2026-000017", 3));

        assertThat(old.isAuthentic()).isTrue();
        assertThat(old.isLegacy()).isTrue();
        assertThat(current.isLegacy()).isFalse();
        assertThat(tokens.check("[YK-2026-000017/T3/" + hex.substring(0, 8) + "]").status())
                .as("neither 6 nor 12 digits: no token").isEqualTo(TokenCheck.Status.NONE);
    }

    @Test
    void returnVisitTokenIsHmacOverRvMonthAndStation() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("hub-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal("RV-2026-11/dongjiao".getBytes(StandardCharsets.UTF_8)));

        String token = tokens.returnVisitTokenFor(YearMonth.of(2026, 11), "dongjiao");

        assertThat(token).isEqualTo("[YK-RV-2026-11/dongjiao/" + hex.substring(0, 12) + "]");
    }

    @Test
    void returnVisitTokenRoundTripsAndItsForgeryIsDetected() {
        String token = tokens.returnVisitTokenFor(YearMonth.of(2026, 11), "dongjiao");
        TokenCheck check = tokens.check("回复: " + token + " 2026年11月回访计划");

        assertThat(check.isAuthentic()).isTrue();
        assertThat(check.token()).containsInstanceOf(TokenRef.ReturnVisit.class);
        TokenRef.ReturnVisit visit = (TokenRef.ReturnVisit) check.token().orElseThrow();
        assertThat(visit.month()).isEqualTo(YearMonth.of(2026, 11));
        assertThat(visit.station()).isEqualTo("dongjiao");

        String otherStation = token.replace("dongjiao", "xijiao");
        assertThat(tokens.check(otherStation).status()).isEqualTo(TokenCheck.Status.FORGED);
    }

    @Test
    void verifyComparesTheHexOfTheGivenToken() {
        String token = tokens.tokenFor("YK-2026-000017", 3);
        TokenRef found = tokens.find(token).orElseThrow();
        assertThat(tokens.verify(found)).isTrue();
        assertThat(tokens.verify(new TokenRef.Task("YK-2026-000017", 3, "zzzzzz"))).isFalse();
        assertThat(tokens.verify(new TokenRef.Task("YK-2026-000017", 3, "9f2a1"))).isFalse();
    }
}
