package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;

/**
 * Remembers the kernel's id for the "wireguard" generic netlink family. A failed lookup is not
 * remembered, so the next call looks again (the module may be loaded meanwhile). When a request
 * finds the remembered id unknown (the module was unloaded, or reloaded under a new id), the id
 * is looked up once more and the request repeated once. Not thread-safe: the client serialises.
 */
final class FamilyIdCache {

    interface Lookup {
        int familyId() throws WireGuardException;
    }

    interface FamilyRequest<T> {
        T run(int familyId) throws WireGuardException;
    }

    private final Lookup lookup;
    private int familyId = -1;

    FamilyIdCache(Lookup lookup) {
        this.lookup = lookup;
    }

    /** The id, looked up now when none is remembered. */
    int familyId() throws WireGuardException {
        if (familyId < 0) {
            familyId = lookup.familyId();
        }
        return familyId;
    }

    <T> T call(FamilyRequest<T> request) throws WireGuardException {
        int remembered = familyId();
        try {
            return request.run(remembered);
        } catch (WireGuardException e) {
            forgetWhenStale(e);
        }
        try {
            return request.run(familyId());
        } catch (WireGuardException e) {
            forgetWhenStale(e);
            throw e;
        }
    }

    void forget() {
        familyId = -1;
    }

    /** Rethrows anything but MODULE_NOT_LOADED; forgets the id on that. */
    private void forgetWhenStale(WireGuardException e) throws WireGuardException {
        if (e.reason() != Reason.MODULE_NOT_LOADED) {
            throw e;
        }
        forget();
    }
}
