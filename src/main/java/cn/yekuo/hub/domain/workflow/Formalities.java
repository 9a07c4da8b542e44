package cn.yekuo.hub.domain.workflow;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Fees, contract and arrears, each null until done. Times are business times (paidAt, signedAt,
 * clearedAt of the billing message).
 */
public record Formalities(OffsetDateTime feesSettledAt, BigDecimal feesAmount,
                          OffsetDateTime contractSignedAt, String contractNo,
                          OffsetDateTime arrearsClearedAt) {

    public static final Formalities NONE = new Formalities(null, null, null, null, null);

    public boolean feesSettled() {
        return feesSettledAt != null;
    }

    public boolean contractSigned() {
        return contractSignedAt != null;
    }

    public boolean arrearsCleared() {
        return arrearsClearedAt != null;
    }

    public boolean isDone(Formality kind) {
        return switch (kind) {
            case FEES_SETTLED -> feesSettled();
            case CONTRACT_SIGNED -> contractSigned();
            case ARREARS_CLEARED -> arrearsCleared();
        };
    }

    public boolean allDone() {
        return feesSettled() && contractSigned() && arrearsCleared();
    }

    Formalities withFees(BigDecimal amount, OffsetDateTime at) {
        return new Formalities(at, amount, contractSignedAt, contractNo, arrearsClearedAt);
    }

    Formalities withContract(String no, OffsetDateTime at) {
        return new Formalities(feesSettledAt, feesAmount, at, no, arrearsClearedAt);
    }

    Formalities withArrearsCleared(OffsetDateTime at) {
        return new Formalities(feesSettledAt, feesAmount, contractSignedAt, contractNo, at);
    }
}
