package cn.yekuo.hub.domain;

/** Stages of a case, in order (docs/contract.md §1), plus the two side exits. */
public enum Stage {
    RECEIVED, AWAITING_MATERIALS, ACCEPTED, SCHEME, DESIGN, CONSTRUCTION, ACCEPTANCE, CONTRACT,
    ENERGIZATION, ENERGIZED, CLOSED,
    /** Side exit: not 10 kV / 50 kVA or not one of the three business types. */
    NOT_ELIGIBLE,
    /** Side exit: the customer withdrew the application. */
    WITHDRAWN;

    /** A case in a final stage takes no more commands. */
    public boolean isFinal() {
        return this == CLOSED || this == NOT_ELIGIBLE || this == WITHDRAWN;
    }
}
