package cn.yekuo.hub.domain.time;

/** A calendar or time-limit file that cannot be trusted; the message names the file and the entry. */
public class InvalidTimeDataException extends RuntimeException {

    private final String location;

    public InvalidTimeDataException(String location, String message) {
        super(location + ": " + message);
        this.location = location;
    }

    public InvalidTimeDataException(String location, String message, Throwable cause) {
        super(location + ": " + message, cause);
        this.location = location;
    }

    /** The file, e.g. {@code classpath:calendar/2026.yaml} or an absolute path. */
    public String location() {
        return location;
    }
}
