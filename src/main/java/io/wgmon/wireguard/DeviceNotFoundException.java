package io.wgmon.wireguard;

/** The interface does not exist (ENODEV, or its UAPI socket is gone or refuses connections). */
public class DeviceNotFoundException extends WireGuardException {
    public DeviceNotFoundException(String message) {
        super(message);
    }
}
