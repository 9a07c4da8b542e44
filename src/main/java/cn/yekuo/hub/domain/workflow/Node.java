package cn.yekuo.hub.domain.workflow;

/**
 * The utility's timed nodes (DOMAIN.md time limits). Deadline arithmetic is done elsewhere; the
 * workflow only says when a node starts and completes. To be unified with the identical enum of the
 * deadline module.
 */
public enum Node {
    SCHEME_REPLY, DESIGN_REVIEW, MID_INSPECTION, COMPLETION_ACCEPTANCE, ENERGIZATION
}
