package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import java.time.OffsetDateTime;
import java.util.Objects;

/** The utility's timed node currently running for the case (at most one at a time). */
public record OpenNode(Node node, OffsetDateTime since) {
    public OpenNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(since, "since");
    }
}
