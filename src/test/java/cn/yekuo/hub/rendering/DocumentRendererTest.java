package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.documents.SampleDocuments;
import cn.yekuo.hub.rendering.DocumentData.Acceptance;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.yekuo.hub.documents.PdfInspection.compactText;
import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentRendererTest {

    /** Key fields each document must show (whitespace-insensitive). */
    private static final Map<DocumentType, List<String>> KEY_FIELDS = Map.of(
            DocumentType.MATERIALS_NOTICE, List.of("资料补正通知书", "产权证明或租赁合同", "总平面图", "新装",
                    "SG186-3301-2026-004711", "王五", "0571-86001234"),
            DocumentType.CONTACT_CARD, List.of("业扩服务联系卡", "王五", "0571-86001234", "wangwu@yekuo.local",
                    "供电方案答复", "15个工作日", "设计审核", "10个工作日", "装表送电", "5日"),
            DocumentType.SCHEME_REPLY, List.of("供电方案答复函", "新装", "800kVA", "10kV", "单电源",
                    "主供电源", "110kV东郊变电站10kV东园线（925线）", "东园线12号杆T接", "环网柜出线开关下桩头",
                    "高供高计", "150/5", "大工业用电", "12,800.00", "壹万贰仟捌佰元整", "一年内有效",
                    "2027年12月10日", "受电工程由实业公司按本方案设计", "设计文件由我公司生产技术部审核", "配电室应设置在地面以上", "核定容量2050kVA",
                    "SCB13-625/10", "电缆T接", "新建工程", "改造工程", "东园线12号杆更换T接刀闸", "10kV进线计量柜",
                    "10000/100", "有功0.5S级、无功2级", "功率因数考核标准0.90", "86,000.00", "客户签收回执", "签收人（签字）"),
            DocumentType.ACCEPTANCE_OPINION, List.of("竣工验收意见书", "验收结论：不合格", "配电室门未向外开启",
                    "接地电阻实测6Ω", "第2次（复验）", "2027年2月20日", "申请复验"),
            DocumentType.CONTRACT, List.of("高压供用电合同", "GYHT-3301-2027-0042", "供电人", "用电人",
                    "3301000123456", "杭州市东郊工业园区8号", "单电源", "110kV东郊变电站", "SCB13-800/10", "SCB13-625/10",
                    "合同容量为2050kVA", "150/5", "10000/100", "产权分界点示意及说明（合同编号", "用电人产权", "供电人产权",
                    "工业用电（新材料制造）", "大工业用电", "高供高计", "每月25日前交清当月电费",
                    "产权分界点为：环网柜出线开关下桩头", "分界点电源侧", "分界点负荷侧", "功率因数不低于0.90",
                    "200kW柴油发电机", "有效期为5年", "违约责任", "《资产移交协议》"),
            DocumentType.ASSET_TRANSFER_AGREEMENT, List.of("资产移交协议", "GYHT-3301-2027-0042", "10kV环网柜",
                    "HXGN15-12", "YJV22-8.7/15-3×70", "86,000.00", "环网柜出线开关下桩头", "移交方（甲方）"),
            DocumentType.ENERGIZATION_NOTICE, List.of("送电通知书", "3301-0099887766", "2027年3月1日10时30分",
                    "GYHT-3301-2027-0042", "2050kVA"));

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void eachDocumentShowsItsTitleNumbersAndKeyFieldsInChinese(DocumentType type) {
        byte[] pdf = renderer().render(type, SampleDocuments.sample(type));

        assertThat(compactText(pdf))
                .contains(SampleDocuments.COMPANY, "杭州东郊新材料有限公司", SampleDocuments.CASE_NO,
                        type.documentNumber(2026, 17), "2026年11月27日")
                .contains(KEY_FIELDS.get(type));
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void everyFontInTheDocumentIsEmbedded(DocumentType type) throws Exception {
        byte[] pdf = renderer().render(type, SampleDocuments.sample(type));

        try (PDDocument doc = PdfInspection.load(pdf)) {
            List<PDFont> fonts = PdfInspection.fonts(doc);
            assertThat(fonts).isNotEmpty();
            assertThat(fonts).allSatisfy(f -> assertThat(f.isEmbedded()).as(f.getName() + " embedded").isTrue());
        }
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void firstPageRendersToAnImageThatIsNotBlank(DocumentType type) throws Exception {
        byte[] pdf = renderer().render(type, SampleDocuments.sample(type));

        BufferedImage page = PdfInspection.firstPage(pdf, 50);
        assertThat(page.getWidth()).isBetween(410, 416);   // A4 at 50 dpi: 413 × 585 px
        assertThat(page.getHeight()).isBetween(582, 588);
        assertThat(PdfInspection.inkRatio(page)).isGreaterThan(0.02);
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void metadataNamesTitleCompanyCaseNumberAndCreationDate(DocumentType type) throws Exception {
        Instant now = Instant.parse("2026-11-27T02:15:00Z");
        DocumentRenderer clocked = new DocumentRenderer(PdfInspection.fontLibrary(), Clock.fixed(now, ZoneId.of("UTC")));
        byte[] pdf = clocked.render(type, SampleDocuments.sample(type));

        try (PDDocument doc = PdfInspection.load(pdf)) {
            PDDocumentInformation info = doc.getDocumentInformation();
            assertThat(info.getTitle()).isEqualTo(type.title());
            assertThat(info.getAuthor()).isEqualTo(SampleDocuments.COMPANY);
            assertThat(info.getSubject()).isEqualTo(SampleDocuments.CASE_NO);
            assertThat(info.getKeywords()).contains(type.documentNumber(2026, 17));
            assertThat(info.getCreationDate().toInstant()).isEqualTo(now);
            assertThat(doc.getDocumentCatalog().getLanguage()).isEqualTo("zh-CN");
        }
    }

    @Test
    void schemeReplyWithItsReceiptFitsOnTwoPages() {
        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, SampleDocuments.sample(DocumentType.SCHEME_REPLY));

        assertThat(PdfInspection.pageCount(pdf)).isEqualTo(2);
    }

    @Test
    void schemeReplyIsValidOneYearFromNotice() {
        DocumentData sample = SampleDocuments.sample(DocumentType.SCHEME_REPLY);

        assertThat(sample.schemeValidUntil()).isEqualTo(LocalDate.of(2027, 12, 10));
        assertThat(compactText(renderer().render(DocumentType.SCHEME_REPLY, sample)))
                .contains("自通知之日（2026年12月10日）起一年内有效，至2027年12月10日止");
    }

    @Test
    void lettersPromiseTheLimitsOfTheCasesRuleSetAndNoNumberWhereItHasNone() {
        DocumentData.Limits other = new DocumentData.Limits("7个工作日", "3个工作日", "4日", 18);
        String scheme = compactText(renderer().render(DocumentType.SCHEME_REPLY,
                SampleDocuments.sample(DocumentType.SCHEME_REPLY).withLimits(other)));
        assertThat(scheme).contains("审核（7个工作日内答复）", "在4日内装表送电", "起18个月内有效，至2028年6月10日止")
                .doesNotContain("10个工作日", "5日内");
        String failed = compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION,
                SampleDocuments.sample(DocumentType.ACCEPTANCE_OPINION).withLimits(other)));
        assertThat(failed).contains("复验按竣工验收时限（3个工作日）办理");
        String passed = compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION,
                SampleDocuments.passedAcceptance().withLimits(other)));
        assertThat(passed).contains("在4日内装表送电");

        DocumentData.Limits none = new DocumentData.Limits(null, null, null, 12);
        String unstated = compactText(renderer().render(DocumentType.SCHEME_REPLY,
                SampleDocuments.sample(DocumentType.SCHEME_REPLY).withLimits(none)));
        assertThat(unstated).contains("设计文件由我公司生产技术部审核，", "和实业公司按规定时限装表送电").doesNotContain("内答复");
        // the workflow hands the design to the construction unit: the letter does not send the customer to a designer
        assertThat(scheme).contains("受电工程由实业公司按本方案设计", "生产技术部会同市场营销部进行竣工验收")
                .doesNotContain("具备相应资质的设计单位");
    }

    @Test
    void passedAcceptanceSaysPassedAndAnnouncesEnergizationWithinFiveDays() {
        String text = compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION, SampleDocuments.passedAcceptance()));

        assertThat(text).contains("验收结论：合格", "同意接电", "5日内装表送电", "第1次")
                .doesNotContain("不合格", "缺陷内容", "复验");
    }

    @Test
    void failedAcceptanceWithoutDefectItemsStillGivesARectificationTable() {
        DocumentData data = SampleDocuments.base(DocumentType.ACCEPTANCE_OPINION)
                .withAcceptance(new Acceptance(1, LocalDate.of(2027, 2, 20), false, List.of(), "接地不合格", "生产技术部"));

        assertThat(compactText(renderer().render(DocumentType.ACCEPTANCE_OPINION, data)))
                .contains("验收结论：不合格", "缺陷内容", "验收单位说明：接地不合格", "800kVA");
    }

    @Test
    void contractWithoutAssetTransferHasOnlyTheBoundaryAnnex() {
        DocumentData.Scheme s = SampleDocuments.scheme();
        DocumentData.Scheme noTransfer = new DocumentData.Scheme(s.approvedKva(), s.sources(), s.connectionPoint(),
                s.connectionMethod(), s.ownershipBoundary(), s.transformers(), s.works(), s.metering(), s.natureOfUse(),
                s.tariff(), s.powerFactor(), false, List.of(), s.fees(), s.notifiedOn(), s.notes());
        DocumentData data = SampleDocuments.sample(DocumentType.CONTRACT).withScheme(noTransfer);

        assertThat(compactText(renderer().render(DocumentType.CONTRACT, data)))
                .contains("附件一：《产权分界点示意及说明》", "产权分界点示意及说明（合同编号").doesNotContain("资产移交协议", "附件二");
    }

    @Test
    void documentLackingItsSectionIsRefusedNamingTheSection() {
        DocumentData bare = SampleDocuments.base(DocumentType.SCHEME_REPLY);

        assertThatThrownBy(() -> renderer().render(DocumentType.SCHEME_REPLY, bare))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme");
        assertThatThrownBy(() -> renderer().render(DocumentType.MATERIALS_NOTICE, bare))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missingMaterials");
        assertThatThrownBy(() -> renderer().render(DocumentType.ASSET_TRANSFER_AGREEMENT,
                bare.withScheme(SampleDocuments.scheme())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contract");
    }

    @Test
    void optionalFieldsLeftEmptyPrintADashInsteadOfFailing() {
        DocumentData data = DocumentData.of("YK-2026-000018", "LXK-2026-000018", LocalDate.of(2026, 11, 27),
                        new DocumentData.Issuer("某供电公司", null, null, new DocumentData.Representative("赵六", null, null)),
                        new DocumentData.Customer(null, "某客户", null, null, null, null),
                        new DocumentData.Application(null, cn.yekuo.hub.domain.ServiceType.CAPACITY_INCREASE, null,
                                10, 400, 630, 2, null))
                .withStepsAhead(List.of(new DocumentData.Step("供电方案答复", null, "30个工作日", null)));

        String text = compactText(renderer().render(DocumentType.CONTACT_CARD, data));

        assertThat(text).contains("增容", "双电源", "原有630kVA", "30个工作日", "赵六", "—");
    }

    @Test
    void oneSharedRendererRendersConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                DocumentType type = DocumentType.values()[i % DocumentType.values().length];
                futures.add(pool.submit(() -> renderer().render(type, SampleDocuments.sample(type))));
            }
            for (int i = 0; i < futures.size(); i++) {
                DocumentType type = DocumentType.values()[i % DocumentType.values().length];
                assertThat(compactText(futures.get(i).get())).contains(type.title(), SampleDocuments.CASE_NO);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void warmUpRendersEveryTemplateWithoutError() {
        DocumentRenderer renderer = new DocumentRenderer(PdfInspection.fontLibrary());
        List<String> laidOut = new java.util.concurrent.CopyOnWriteArrayList<>();
        renderer.beforeLayout(laidOut::add);
        try {
            renderer.warmUp();
        } finally {
            renderer.close();
        }

        // one layout per document type, each of the placeholder case (a template skipped or failing shows here)
        assertThat(laidOut).hasSize(DocumentType.values().length);
        assertThat(laidOut).extracting(what -> DocumentType.valueOf(what.substring(0, what.indexOf(' '))))
                .containsExactlyInAnyOrder(DocumentType.values());
        assertThat(laidOut).allSatisfy(what -> assertThat(what).endsWith(" of case YK-0000-000000"));
        // and what it lays out is a readable PDF of that document: the same placeholder data, rendered and read back
        for (DocumentType type : DocumentType.values()) {
            byte[] pdf = renderer().render(type, PlaceholderDocuments.all());
            assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).as(type + " is a PDF").isEqualTo("%PDF-");
            assertThat(PdfInspection.pageCount(pdf)).as(type + " pages").isPositive();
            assertThat(compactText(pdf)).as(type + " text").contains(type.title(), "YK-0000-000000", "客户名称");
        }
    }

    @Test
    void documentNumberCarriesTheTypePrefixYearAndSequence() {
        assertThat(DocumentType.SCHEME_REPLY.documentNumber(2026, 17)).isEqualTo("FADF-2026-000017");
        assertThat(DocumentType.values()).extracting(DocumentType::numberPrefix).doesNotHaveDuplicates();
        assertThat(DocumentType.ASSET_TRANSFER_AGREEMENT.title()).isEqualTo("资产移交协议");
    }
}
