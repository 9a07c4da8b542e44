package cn.yekuo.hub.config;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Names the misspelt {@code yk.*} keys that stopped the start and where they were set, never their values: a misspelt
 * key may hold a password (Spring's own report prints the value). Ordered before Spring's analyzer of the same failure.
 */
public class UnknownKeysAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        String keys = cause.getUnboundProperties().stream()
                .map(p -> "    " + p.getName() + (p.getOrigin() == null ? "" : " (" + p.getOrigin() + ")"))
                .collect(Collectors.joining("\n"));
        return new FailureAnalysis("Unknown hub settings (misspelt or no longer used); values not shown:\n" + keys,
                "Correct or remove these keys; README.md lists every yk.* setting and its environment variable.", cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
