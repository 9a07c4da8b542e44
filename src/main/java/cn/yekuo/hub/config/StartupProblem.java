package cn.yekuo.hub.config;

/** A configuration the hub cannot start with, reported as Spring Boot's "APPLICATION FAILED TO START" text. */
public class StartupProblem extends RuntimeException {

    private final String action;

    public StartupProblem(String description, String action) {
        super(description);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
