package cn.yekuo.hub.mailtransport;

import cn.yekuo.hub.replies.RawMail;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MailCharsetsProperties {

    @Provide
    Arbitrary<String> chineseSubjects() {
        return Arbitraries.strings().withChars("请提供供电方案技术部分杭州东郊新材料有限公司回复答复镕").withChars("abc XYZ-[]/:0123")
                .ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 200).list().ofMaxSize(5);
    }

    @Property
    void gbkTextCutIntoEncodedWordsAtAnyBytesDecodesBack(@ForAll("chineseSubjects") String subject,
                                                        @ForAll("cuts") List<Integer> cutPoints,
                                                        @ForAll("labels") String label) {
        byte[] bytes = subject.getBytes(Charset.forName("GBK"));
        TreeSet<Integer> cuts = new TreeSet<>();
        cutPoints.stream().filter(c -> c < bytes.length).forEach(cuts::add);
        List<String> words = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            words.add(RawMail.bWord(label, Arrays.copyOfRange(bytes, from, cut)));
            from = cut;
        }
        words.add(RawMail.bWord(label, Arrays.copyOfRange(bytes, from, bytes.length)));

        assertThat(MailCharsets.decodeHeader(String.join("\r\n ", words))).isEqualTo(subject);
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.of("GB2312", "gbk", "GB18030", "cp936");
    }
}
