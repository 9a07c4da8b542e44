package cn.yekuo.hub.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who the customer-agent system serves: customers supplied at 10 kV or above with 50 kVA or more of
 * dedicated transformer capacity, for a new install, a capacity increase or a relocation. For a capacity
 * increase the capacity is the total after the change (existing + increase), as on the documents.
 */
public final class Eligibility {

    public static final BigDecimal MIN_VOLTAGE_KV = BigDecimal.TEN;
    public static final int MIN_TRANSFORMER_KVA = 50;

    private Eligibility() {
    }

    /**
     * The dedicated transformer capacity the 50 kVA rule is applied to: for a capacity increase the total after the
     * change ({@code existingKva + transformerKva}); for any other type {@code transformerKva} alone.
     *
     * @param transformerKva the capacity applied for (for a capacity increase: the increase)
     * @param existingKva    the capacity already installed before the change (0 when none)
     */
    public static long judgedKva(String serviceType, int transformerKva, int existingKva) {
        // long: two values of up to 10 000 000 each must not overflow whatever a caller passes
        return isCapacityIncrease(serviceType) ? (long) existingKva + transformerKva : transformerKva;
    }

    /**
     * Empty when eligible; otherwise every reason, in Chinese with the English after it.
     *
     * @param transformerKva the capacity applied for (for a capacity increase: the increase)
     * @param existingKva    the capacity already installed before the change (0 when none); counted only for a
     *                       capacity increase
     */
    public static Optional<String> whyNotEligible(String serviceType, BigDecimal supplyVoltageKv, int transformerKva,
                                                  int existingKva) {
        List<String> zh = new ArrayList<>();
        List<String> en = new ArrayList<>();
        if (ServiceType.fromCode(serviceType).isEmpty()) {
            zh.add("业务类型 " + serviceType + " 不在新装、增容、输变电设施迁移之列");
            en.add("business type " + serviceType + " is not NEW_INSTALL, CAPACITY_INCREASE or RELOCATION");
        }
        if (supplyVoltageKv.compareTo(MIN_VOLTAGE_KV) < 0) {
            zh.add("供电电压 " + supplyVoltageKv.stripTrailingZeros().toPlainString() + " kV 低于 10 kV");
            en.add("supply voltage " + supplyVoltageKv.stripTrailingZeros().toPlainString() + " kV is below 10 kV");
        }
        long judged = judgedKva(serviceType, transformerKva, existingKva);
        if (judged < MIN_TRANSFORMER_KVA) {
            if (isCapacityIncrease(serviceType)) {
                zh.add("增容后专用变压器容量 " + judged + " kVA（原有 " + existingKva + " kVA + 增容 " + transformerKva
                        + " kVA）低于 50 kVA");
                en.add("dedicated transformer capacity after the increase " + judged + " kVA (existing " + existingKva
                        + " kVA + increase " + transformerKva + " kVA) is below 50 kVA");
            } else {
                zh.add("专用变压器容量 " + transformerKva + " kVA 低于 50 kVA");
                en.add("dedicated transformer capacity " + transformerKva + " kVA is below 50 kVA");
            }
        }
        if (zh.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("不属于高压客户代理制范围：" + String.join("；", zh)
                + " (not eligible: " + String.join("; ", en) + ")");
    }

    private static boolean isCapacityIncrease(String serviceType) {
        return ServiceType.CAPACITY_INCREASE.name().equals(serviceType);
    }
}
