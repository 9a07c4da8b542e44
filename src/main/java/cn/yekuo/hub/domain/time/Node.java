package cn.yekuo.hub.domain.time;

/** The utility's timed nodes (时限节点) of docs/domain.md "Time limits"; each has a row in the rule table. */
public enum Node {
    SCHEME_REPLY("供电方案答复"),
    DESIGN_REVIEW("设计审核"),
    MID_INSPECTION("中间检查"),
    COMPLETION_ACCEPTANCE("竣工验收"),
    ENERGIZATION("装表送电"),
    RETURN_VISIT_REPORT("回访结果上报"),
    /** The construction unit's design (设计): timed only when the rule set has a row (none by default). */
    DESIGN("工程设计"),
    /** The construction unit's defect rectification (缺陷整改): timed only when the rule set has a row (none by default). */
    RECTIFICATION("缺陷整改");

    private final String chinese;

    Node(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
