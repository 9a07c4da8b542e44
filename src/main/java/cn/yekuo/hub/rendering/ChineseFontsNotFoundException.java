package cn.yekuo.hub.rendering;

/**
 * No usable Chinese TrueType font was found at any configured location: the hub cannot render customer
 * documents and must not start. The message names the checked paths and the packages to install.
 */
public class ChineseFontsNotFoundException extends IllegalStateException {

    /** What to install on Debian/Ubuntu (the two faces the defaults look for first). */
    public static final String DEBIAN_INSTALL_HINT = "apt-get install fonts-arphic-uming fonts-wqy-zenhei";

    public ChineseFontsNotFoundException(String message) {
        super(message);
    }
}
