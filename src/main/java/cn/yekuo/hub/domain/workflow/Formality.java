package cn.yekuo.hub.domain.workflow;

/** The three things the customer must have done before energization (docs/domain.md step 6). */
public enum Formality {
    FEES_SETTLED, CONTRACT_SIGNED, ARREARS_CLEARED
}
