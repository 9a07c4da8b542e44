package cn.yekuo.hub.cases;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import cn.yekuo.hub.domain.Material;

/** What the application tells us about a case when it is first recorded. */
public record NewCase(
        String applicationNo,
        String serviceType,
        String customerId,
        String customerName,
        String contactName,
        String phone,
        String email,
        String siteAddress,
        String supplyStation,
        BigDecimal supplyVoltageKv,
        int transformerKva,
        int existingKva,
        int powerSources,
        List<Material> materials,
        LocalDate requestedDate,
        OffsetDateTime submittedAt) {
}
