package cn.yekuo.hub.rendering;

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

/** Placeholder data with every section filled, for {@link DocumentRenderer#warmUp()}. Never sent to anyone. */
final class PlaceholderDocuments {

    private PlaceholderDocuments() {
    }

    static DocumentData all() {
        LocalDate day = LocalDate.of(2026, 1, 5);
        return DocumentData.of("YK-0000-000000", "WARMUP", day,
                        new Issuer("供电公司", "地址", "95598", new Representative("客户代表", "电话", "邮箱")),
                        new Customer("户号", "客户名称", "联系人", "电话", "邮箱", "用电地址"),
                        new Application("申请编号", ServiceType.NEW_INSTALL, day, 10, 800, 0, 1, day))
                .withMissingMaterials(List.of(Material.values()))
                .withStepsAhead(List.of(new Step("供电方案答复", "供电企业", "15个工作日", "受理之日起")))
                .withScheme(new Scheme(800, List.of(new PowerSource(SourceRole.MAIN, "变电站线路")), "接入点", "接入方式",
                        "产权分界点", List.of(new Transformer("型号", 1, 800)),
                        List.of(new Work(WorkKind.NEW_BUILD, "新建"), new Work(WorkKind.RENOVATION, "改造")),
                        new Metering("高供高计", "计量点", "50/5", "10000/100", "0.5S"), "用电性质", "大工业用电", "0.90", true,
                        List.of(new Asset("资产", "规格", "1", BigDecimal.ONE)),
                        List.of(new Fee("业务费用", BigDecimal.ONE)), day, List.of("说明")))
                .withAcceptance(new Acceptance(1, day, false, List.of("缺陷"), "说明", "生产技术部"))
                .withContract(new Contract("合同编号", "自备电源", 5, day, "按月结算"))
                .withEnergization(new Energization("表号", LocalDateTime.of(2026, 1, 5, 10, 0), "合同编号"));
    }
}
