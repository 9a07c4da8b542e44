package cn.yekuo.hub.mailtransport;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

/**
 * The bodies of the hub's mails, FreeMarker templates under {@code src/main/resources/mails/}, one configuration for all:
 * {@code .ftl} is plain text written as it stands (a mail body is not markup), {@code .ftlh} is HTML with every value
 * escaped (names and addresses come from billing messages and are data, never markup). Every template is compiled
 * when this is built, so a broken one stops the start, not a mail.
 */
public final class MailTemplates {

    static final List<String> TEMPLATES = List.of(
            "handoff.ftl", "handoff.ftlh", "quarantine-notice.ftl", "forgery-alert.ftl", "deadline.ftl", "dead-mail.ftl",
            "customer-document.ftl", "document-failed.ftl", "return-visit-plan.ftl", "return-visit-plan-empty.ftl",
            "return-visit-summary.ftl", "return-visit-unusable.ftl", "assessment-report.ftl", "scheme-lapsing.ftl");

    private final Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);

    public MailTemplates() {
        configuration.setClassForTemplateLoading(MailTemplates.class, "/mails/");
        configuration.setDefaultEncoding("UTF-8");
        configuration.setRecognizeStandardFileExtensions(true); // .ftlh: HTML output format, auto-escaping on
        configuration.setLocale(Locale.SIMPLIFIED_CHINESE);
        configuration.setNumberFormat("computer"); // 12800, never 12,800
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        configuration.setAPIBuiltinEnabled(false);
        configuration.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE); // compiled once, never re-checked
        for (String name : TEMPLATES) {
            try {
                configuration.getTemplate(name);
            } catch (IOException e) {
                throw new IllegalStateException("mail template " + name + " cannot be compiled: " + e.getMessage(), e);
            }
        }
    }

    /** The text of {@code template} for {@code model}; a template that fails on a model is a bug, not a mail problem. */
    public String render(String template, Map<String, ?> model) {
        StringWriter out = new StringWriter();
        try {
            configuration.getTemplate(template).process(model, out);
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("mail template " + template + " failed: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
