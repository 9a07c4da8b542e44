package cn.yekuo.hub.rendering;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

/**
 * Routes openhtmltopdf's own logging (which otherwise writes to the console through its own JUL handler) to
 * SLF4J under {@code com.openhtmltopdf.*}. Its per-document INFO chatter ("Using fast-mode renderer…") goes to
 * DEBUG; warnings and errors keep their level.
 */
final class Slf4jXRLogger implements XRLogger {

    private static final Logger DIAGNOSTICS = LoggerFactory.getLogger("com.openhtmltopdf.diagnostic");

    @Override
    public void log(String where, Level level, String msg) {
        log(where, level, msg, null);
    }

    @Override
    public void log(String where, Level level, String msg, Throwable th) {
        Logger logger = LoggerFactory.getLogger(where);
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            logger.error(msg, th);
        } else if (v >= Level.WARNING.intValue()) {
            logger.warn(msg, th);
        } else if (v >= Level.CONFIG.intValue()) {
            logger.debug(msg, th);
        } else {
            logger.trace(msg, th);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // levels are configured in the SLF4J backend
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        int v = diagnostic.getLevel().intValue();
        if (v >= Level.SEVERE.intValue()) {
            return DIAGNOSTICS.isErrorEnabled();
        }
        if (v >= Level.WARNING.intValue()) {
            return DIAGNOSTICS.isWarnEnabled();
        }
        return DIAGNOSTICS.isDebugEnabled();
    }

    /** Installs this logger once per JVM (openhtmltopdf's logger is global). */
    static void install() {
        if (!(com.openhtmltopdf.util.XRLog.getLoggerImpl() instanceof Slf4jXRLogger)) {
            com.openhtmltopdf.util.XRLog.setLoggerImpl(new Slf4jXRLogger());
        }
    }
}
