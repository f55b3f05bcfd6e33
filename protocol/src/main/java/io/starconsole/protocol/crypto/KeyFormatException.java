package io.starconsole.protocol.crypto;

/** A key could not be parsed; says which format and what was wrong, never the key's text. */
public final class KeyFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The encoding being parsed. */
    public enum Format { BASE64, BINARY, HEX }

    /** What was wrong with it. */
    public enum Type { LENGTH, CONTENTS }

    private final Format format;
    private final Type type;

    public KeyFormatException(Format format, Type type) {
        super(format + " key: bad " + type.name().toLowerCase(java.util.Locale.ROOT));
        this.format = format;
        this.type = type;
    }

    public Format format() {
        return format;
    }

    public Type type() {
        return type;
    }
}
