package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentType;
import cn.yekuo.hub.rendering.DocumentData.Acceptance;
import cn.yekuo.hub.rendering.DocumentData.Application;
import cn.yekuo.hub.rendering.DocumentData.Contract;
import cn.yekuo.hub.rendering.DocumentData.Customer;
import cn.yekuo.hub.rendering.DocumentData.Energization;
import cn.yekuo.hub.rendering.DocumentData.Fee;
import cn.yekuo.hub.rendering.DocumentData.Issuer;
import cn.yekuo.hub.rendering.DocumentData.Metering;
import cn.yekuo.hub.rendering.DocumentData.PowerSource;
import cn.yekuo.hub.rendering.DocumentData.Representative;
import cn.yekuo.hub.rendering.DocumentData.Scheme;
import cn.yekuo.hub.rendering.DocumentData.SourceRole;
import cn.yekuo.hub.rendering.DocumentData.Step;
import cn.yekuo.hub.domain.SchemeItems.Asset;
import cn.yekuo.hub.domain.SchemeItems.Transformer;
import cn.yekuo.hub.domain.SchemeItems.Work;
import cn.yekuo.hub.domain.SchemeItems.WorkKind;
import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** A realistic case (docs/contract.md §1 example) filled for every document type; used by tests and the benchmark. */
public final class SampleDocuments {

    public static final String CASE_NO = "YK-2026-000017";
    public static final String COMPANY = "国网杭州供电公司东郊供电分公司";

    private SampleDocuments() {
    }

    public static DocumentData base(DocumentType type) {
        return base(type, "杭州东郊新材料有限公司");
    }

    public static DocumentData base(DocumentType type, String customerName) {
        return DocumentData.of(CASE_NO, type.documentNumber(2026, 17), LocalDate.of(2026, 11, 27),
                new Issuer(COMPANY, "杭州市东郊路 188 号", "95598",
                        new Representative("王五", "0571-86001234", "wangwu@yekuo.local")),
                new Customer("3301000123456", customerName, "李四", "13800000000",
                        "lisi@dongjiao-materials.example.cn", "杭州市东郊工业园区 8 号"),
                new Application("SG186-3301-2026-004711", ServiceType.NEW_INSTALL, LocalDate.of(2026, 11, 27),
                        10, 800, 0, 1, LocalDate.of(2027, 3, 1)))
                .withLimits(LIMITS);
    }

    /** The default rule set's limits for a single-source case, as CaseDocumentData fills them. */
    public static final DocumentData.Limits LIMITS = new DocumentData.Limits("10个工作日", "5个工作日", "5日", 12);

    /** Two transformer lines, new-build and renovation works, and an asset transfer with book values. */
    public static Scheme scheme() {
        return new Scheme(2050,
                List.of(new PowerSource(SourceRole.MAIN, "110kV东郊变电站 10kV东园线（925线）")),
                "东园线12号杆T接，新建环网柜一座", "电缆T接", "环网柜出线开关下桩头",
                List.of(new Transformer("SCB13-800/10", 1, 800), new Transformer("SCB13-625/10", 2, 625)),
                List.of(new Work(WorkKind.NEW_BUILD, "10kV电缆线路 YJV22-8.7/15-3×70 320米"),
                        new Work(WorkKind.NEW_BUILD, "HXGN15-12 环网柜一座"),
                        new Work(WorkKind.RENOVATION, "东园线12号杆更换T接刀闸")),
                new Metering("高供高计", "10kV进线计量柜", "150/5", "10000/100", "有功0.5S级、无功2级"),
                "工业用电（新材料制造）", "大工业用电", "0.90", true,
                List.of(new Asset("10kV环网柜", "HXGN15-12", "1台", new BigDecimal("86000.00")),
                        new Asset("10kV电缆", "YJV22-8.7/15-3×70", "320米", new BigDecimal("54000.00"))),
                List.of(new Fee("高可靠性供电费", new BigDecimal("12800.00"))),
                LocalDate.of(2026, 12, 10),
                List.of("配电室应设置在地面以上，并满足防洪、防小动物要求。"));
    }

    public static Contract contract() {
        return new Contract("GYHT-3301-2027-0042",
                "用电人配置 200kW 柴油发电机作为消防及应急照明的保安电源。", 5, LocalDate.of(2027, 3, 1),
                "按月抄表，每月25日前交清当月电费");
    }

    public static DocumentData sample(DocumentType type) {
        DocumentData d = base(type);
        return switch (type) {
            case MATERIALS_NOTICE -> d.withMissingMaterials(List.of(Material.PROPERTY_PROOF, Material.SITE_PLAN));
            case CONTACT_CARD -> d.withStepsAhead(List.of(
                    new Step("供电方案答复", "供电企业", "15个工作日", "受理之日起"),
                    new Step("设计审核", "供电企业", "10个工作日", "设计文件报审之日起"),
                    new Step("中间检查", "供电企业", "5个工作日", "申请检查之日起"),
                    new Step("竣工验收", "供电企业", "5个工作日", "报竣工之日起"),
                    new Step("装表送电", "供电企业", "5日", "验收合格且缴费、签约、结清欠费之日起")));
            case SCHEME_REPLY -> d.withScheme(scheme());
            case ACCEPTANCE_OPINION -> d.withScheme(scheme()).withAcceptance(new Acceptance(2, LocalDate.of(2027, 2, 20),
                    false, List.of("配电室门未向外开启", "接地电阻实测 6Ω，超过 4Ω 要求"), "整改后复验", "生产技术部、市场营销部"));
            case CONTRACT, ASSET_TRANSFER_AGREEMENT -> d.withScheme(scheme()).withContract(contract());
            case ENERGIZATION_NOTICE -> d.withScheme(scheme()).withContract(contract())
                    .withEnergization(new Energization("3301-0099887766", LocalDateTime.of(2027, 3, 1, 10, 30),
                            contract().contractNo()));
        };
    }

    public static DocumentData passedAcceptance() {
        return base(DocumentType.ACCEPTANCE_OPINION).withScheme(scheme())
                .withAcceptance(new Acceptance(1, LocalDate.of(2027, 2, 20), true, List.of(), null, "生产技术部、市场营销部"));
    }
}
