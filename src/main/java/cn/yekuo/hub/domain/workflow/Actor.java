package cn.yekuo.hub.domain.workflow;

/** Who issued a command; recorded on the timeline (authentication is done by the adapters). */
public enum Actor {
    BILLING, UNIT, REPRESENTATIVE, SYSTEM
}
