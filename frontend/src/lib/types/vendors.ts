// Vendor metadata, as GET /api/v1/vendors answers it (the Go vendor registry).

/** The colours of a vendor's badge, in the light and the dark theme (CSS colours). */
export interface VendorBadge {
  bg: string;
  fg: string;
  dark_bg: string;
  dark_fg: string;
}

/** Vendor is one vendor the backend knows: its id, how to show it and what it supports. */
export interface Vendor {
  /** The id used in the API, in queries and in stored deliveries ("livechat"). */
  name: string;
  /** The name people know ("LiveChat"). */
  display_name: string;
  /** The receiver path its deliveries are expected on ("/livechat"). */
  path: string;
  badge: VendorBadge;
  /** The simulate scenarios it has. */
  scenarios: string[];
  /** Whether Hooklens can register its webhooks through the vendor's API. */
  api_registration: boolean;
}
