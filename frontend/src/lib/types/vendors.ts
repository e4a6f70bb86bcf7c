// Vendor metadata, as GET /api/v1/vendors answers it (the Go vendor registry): generated types.

export type { Badge as VendorBadge, VendorInfo as Vendor, VendorList } from './api.gen';
