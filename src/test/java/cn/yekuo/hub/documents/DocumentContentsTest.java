package cn.yekuo.hub.documents;

import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentData.Metering;
import cn.yekuo.hub.rendering.DocumentData.Scheme;
import cn.yekuo.hub.rendering.DocumentType;
import cn.yekuo.hub.support.Poppler;

/**
 * The scheme's answered contents on the letter, the contract with its annexes and the energization notice, read back
 * with poppler (pdftotext) and rendered to PNG (pdftoppm, under {@code target/document-pages}); a value not answered
 * is printed as 无 or — next to its name, never made up (issue 17).
 */
class DocumentContentsTest {

    private static final Path PAGES = Path.of("target", "document-pages", "samples");

    /** Every answered field of {@link SampleDocuments#scheme()} as the letter prints it. */
    static final List<String> ANSWERED = List.of("核定容量2050kVA", "110kV东郊变电站10kV东园线（925线）",
            "东园线12号杆T接，新建环网柜一座", "电缆T接", "环网柜出线开关下桩头",
            "SCB13-800/10", "SCB13-625/10", "合计3", "2050",
            "新建工程", "10kV电缆线路YJV22-8.7/15-3×70320米", "HXGN15-12环网柜一座", "改造工程", "东园线12号杆更换T接刀闸",
            "高供高计", "10kV进线计量柜", "150/5", "10000/100", "有功0.5S级、无功2级",
            "工业用电（新材料制造）", "大工业用电", "0.90", "86,000.00", "54,000.00", "140,000.00", "12,800.00");

    /** The works, the fees and the letter's own wording of the capacity are not the contract's. */
    static final List<String> IN_THE_LETTER_ONLY = List.of("核定容量2050kVA", "新建工程", "10kV电缆线路YJV22-8.7/15-3×70320米",
            "HXGN15-12环网柜一座", "改造工程", "东园线12号杆更换T接刀闸", "12,800.00");

    @Test
    void schemeReplyPrintsEveryAnsweredFieldAndTheReceipt() {
        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, SampleDocuments.sample(DocumentType.SCHEME_REPLY));

        Poppler.renderPages(pdf, PAGES, "scheme-reply");
        assertThat(Poppler.compactText(pdf)).contains(ANSWERED)
                .contains("客户签收回执", "签收人（签字）", "签收日期", "客户（盖章）", "FADF-2026-000017");
    }

    @Test
    void contractCarriesTheTransformersAndTheBoundaryAnnexWithItsDiagramAndOneNumber() {
        DocumentData d = SampleDocuments.sample(DocumentType.CONTRACT);
        byte[] contract = CustomerDocuments.merged(d.caseNo(), renderer().render(DocumentType.CONTRACT, d),
                renderer().render(DocumentType.ASSET_TRANSFER_AGREEMENT, d));

        List<Path> pages = Poppler.renderPages(contract, PAGES, "contract");
        String text = Poppler.compactText(contract);
        assertThat(text).contains(ANSWERED.stream().filter(f -> !IN_THE_LETTER_ONLY.contains(f)).toList())
                .contains("合同容量为2050kVA", "功率因数不低于0.90", "附件一产权分界点示意及说明", "供电人产权·供电人运行维护",
                        "用电人产权·用电人运行维护", "GYHT-3301-2027-0042）附件二", "受电装置（10kV）", "SCB13-625/10×2×625kVA");
        // the contract, the boundary annex and the agreement print the one contract number
        assertThat(text.split("GYHT-3301-2027-0042", -1).length - 1).isGreaterThanOrEqualTo(3);
        assertThat(pages.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void energizationNoticePrintsTheContractsNumberAndTheApprovedCapacity() {
        byte[] pdf = renderer().render(DocumentType.ENERGIZATION_NOTICE, SampleDocuments.sample(DocumentType.ENERGIZATION_NOTICE));

        Poppler.renderPages(pdf, PAGES, "energization-notice");
        assertThat(Poppler.compactText(pdf)).contains("GYHT-3301-2027-0042", "2050kVA", "3301-0099887766");
    }

    @Test
    void acceptanceOpinionPrintsTheApprovedCapacityOrTheRequestedOneSoLabelled() {
        DocumentData d = SampleDocuments.sample(DocumentType.ACCEPTANCE_OPINION);
        assertThat(Poppler.compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION, d))).contains("核定容量2050kVA");
        assertThat(Poppler.compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION, d.withScheme(null))))
                .contains("申请容量800kVA").doesNotContain("核定容量");
    }

    @Test
    void valuesNotAnsweredPrintAsNoneOrDashWithTheirNameAndNothingIsInvented() {
        // a case answered before these keys existed: only the old scheme fields
        Scheme old = new Scheme(null, SampleDocuments.scheme().sources(), "东园线12号杆T接", null, "环网柜出线开关下桩头",
                List.of(), List.of(), new Metering("高供高计", null, null, null, null), null, "大工业用电", null, true,
                List.of(), List.of(new DocumentData.Fee("业务费用", new BigDecimal("12800.00"))), LocalDate.of(2026, 12, 10),
                List.of());
        DocumentData d = SampleDocuments.sample(DocumentType.CONTRACT).withScheme(old);

        String letter = Poppler.compactText(renderer().render(DocumentType.SCHEME_REPLY, d));
        assertThat(letter).contains("核定容量—", "变压器：—（未答复）", "新建工程—无", "改造工程—无", "计量点—",
                "电流互感器变比—", "电压互感器变比无", "功率因数考核标准—", "移交资产：—（未答复）")
                .doesNotContain("kVA×1", "受电装置，变压器总容量");
        String agreement = Poppler.compactText(renderer().render(DocumentType.ASSET_TRANSFER_AGREEMENT, d));
        assertThat(agreement).contains("移交资产：—（未答复）").doesNotContain("用电人出资建设的接入工程供电设施");
    }
}
