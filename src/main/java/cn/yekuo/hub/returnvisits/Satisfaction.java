package cn.yekuo.hub.returnvisits;

/** A customer's satisfaction as a supply station reports it after the return visit (docs/contract.md §2). */
public enum Satisfaction {
    SATISFIED("满意"),
    NEUTRAL("一般"),
    DISSATISFIED("不满意"),
    UNREACHABLE("未联系上");

    private final String chinese;

    Satisfaction(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
