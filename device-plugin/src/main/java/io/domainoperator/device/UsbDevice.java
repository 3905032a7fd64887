package io.domainoperator.device;

/**
 * A USB device as sysfs names it.
 *
 * @param address bus-port path, e.g. {@code 1-2} or {@code 3-1.4}
 * @param vendor  idVendor, four lower-case hex digits
 * @param product idProduct, four lower-case hex digits
 * @param name    the product string the device reports, or null
 */
public record UsbDevice(String address, String vendor, String product, String name) {
    /** vendor:product as {@code PhysicalIOAdapterSpec.usbProduct} wants it. */
    public String vendorProduct() {
        return vendor + ":" + product;
    }
}
