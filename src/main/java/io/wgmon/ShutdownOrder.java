package io.wgmon;

/**
 * The order of the shutdown observers (lower first): tracking stops scanning and saves its state, delivery
 * drains and stops, the store commits what is queued and closes. Bean disposal comes after all of them,
 * in no set order, so nothing that another part still uses is closed there.
 */
public final class ShutdownOrder {
    public static final int TRACKING = 100;
    public static final int DELIVERY = 200;
    public static final int STORE = 300;

    private ShutdownOrder() {
    }
}
