package io.virtfleet.stack;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** Removes a libvirt pool of a test or benchmark run and whatever it still holds, even after a failure. */
public final class LibvirtPools {
    private LibvirtPools() {
    }

    public static void remove(String poolName) throws LibvirtException {
        Connect libvirt = new Connect("qemu:///system");
        try {
            var pool = libvirt.storagePoolLookupByName(poolName);
            for (String volume : pool.listVolumes()) {
                pool.storageVolLookupByName(volume).delete(0);
            }
            if (pool.isActive() == 1) {
                pool.destroy();
            }
            pool.undefine();
        } catch (LibvirtException e) {
            // never created: nothing to remove
        } finally {
            libvirt.close();
        }
    }
}
