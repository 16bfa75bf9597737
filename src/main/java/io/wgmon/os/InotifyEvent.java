package io.wgmon.os;

/**
 * One {@code struct inotify_event} (docs/architecture.md#tracking): the watch it belongs to, what
 * happened ({@code IN_*} bits) and the name in the watched directory ("" for the directory itself).
 */
public record InotifyEvent(int watch, int mask, String name) {
    public static final int IN_MOVED_FROM = 0x40;
    public static final int IN_MOVED_TO = 0x80;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;
    public static final int IN_ONLYDIR = 0x1000000;
    public static final int IN_ISDIR = 0x40000000;

    public boolean has(int bits) {
        return (mask & bits) != 0;
    }
}
