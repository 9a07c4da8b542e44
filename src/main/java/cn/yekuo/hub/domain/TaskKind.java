package cn.yekuo.hub.domain;

import java.util.List;

/** Hand-off tasks of docs/contract.md §2: who answers, in which stage, and which reply fields are required. */
public enum TaskKind {
    // the grid side of the scheme (生产技术部): sources, connection, capacity, transformers, works (docs/domain.md)
    SCHEME_TECHNICAL(Unit.PRODUCTION, "请提供供电方案(技术部分)", "Supply scheme, technical",
            List.of("SOURCE", "CONNECTION_POINT", "OWNERSHIP_BOUNDARY", "APPROVED_CAPACITY", "TRANSFORMER",
                    "CONNECTION_METHOD", "WORKS"), List.of()),
    // the customer-service side (市场营销部): nature of use, tariff, metering, power factor, fees, asset transfer
    SCHEME_BUSINESS(Unit.MARKETING, "请提供供电方案(营业部分)", "Supply scheme, business",
            List.of("METERING", "TARIFF", "ASSET_TRANSFER", "FEES", "NATURE_OF_USE", "METERING_POINT", "CT_RATIO",
                    "ACCURACY_CLASS", "POWER_FACTOR"), List.of("PT_RATIO", "ASSET")),
    DESIGN(Unit.CONSTRUCTION, "请进行工程设计", "Engineering design", List.of()),
    DESIGN_REVIEW(Unit.PRODUCTION, "请审核工程设计", "Design review", List.of()),
    CONSTRUCTION(Unit.CONSTRUCTION, "请组织工程施工", "Construction", List.of()),
    MID_INSPECTION(Unit.PRODUCTION, "请进行中间检查", "Mid-construction inspection", List.of()),
    RECTIFICATION(Unit.CONSTRUCTION, "请整改缺陷", "Defect rectification", List.of()),
    COMPLETION_ACCEPTANCE(Unit.PRODUCTION, "请进行竣工验收", "Completion acceptance", List.of()),
    // joint: marketing (用电) accepts with production (生技), each on its own token (docs/domain.md step 4)
    COMPLETION_ACCEPTANCE_MARKETING(Unit.MARKETING, "请会同竣工验收(营销)", "Joint completion acceptance, marketing", List.of()),
    ENERGIZATION(Unit.CUSTOMER_CENTER, "请装表送电", "Meter installation and energization",
            List.of("METER_NO", "ENERGIZED_AT")),
    // joint: production, marketing and construction energize with customer-center (docs/domain.md step 6)
    ENERGIZATION_PRODUCTION(Unit.PRODUCTION, "请配合送电(生技)", "Joint energization, production", List.of()),
    ENERGIZATION_MARKETING(Unit.MARKETING, "请配合送电(营销)", "Joint energization, marketing", List.of()),
    ENERGIZATION_CONSTRUCTION(Unit.CONSTRUCTION, "请配合送电(施工)", "Joint energization, construction", List.of());

    TaskKind(Unit unit, String titleZh, String titleEn, List<String> requiredFields) {
        this(unit, titleZh, titleEn, requiredFields, List.of());
    }

    private final Unit unit;
    private final String titleZh;
    private final String titleEn;
    private final List<String> requiredFields;
    private final List<String> optionalFields;

    TaskKind(Unit unit, String titleZh, String titleEn, List<String> requiredFields, List<String> optionalFields) {
        this.unit = unit;
        this.titleZh = titleZh;
        this.titleEn = titleEn;
        this.requiredFields = requiredFields;
        this.optionalFields = optionalFields;
    }

    public Unit unit() {
        return unit;
    }

    public String titleZh() {
        return titleZh;
    }

    public String titleEn() {
        return titleEn;
    }

    /** Reply keys (English names of docs/contract.md §2) that must be present with a positive result. */
    public List<String> requiredFields() {
        return requiredFields;
    }

    /**
     * Reply keys the task may answer besides the required ones and kept with the case (a PT ratio, the assets to
     * transfer: {@code ASSET} is required when {@code ASSET_TRANSFER} is yes, docs/contract.md §2.4).
     */
    public List<String> optionalFields() {
        return optionalFields;
    }
}
