// The vendors as GET /api/v1/vendors lists them, for the specs.
import type { Vendor } from '../types/vendors';

export const testVendors: Vendor[] = [
  {
    name: 'livechat',
    display_name: 'LiveChat',
    path: '/livechat',
    verification: 'secret_key checked against the LiveChat secret',
    badge: { bg: '#ffe9d6', fg: '#a34700', dark_bg: '#3e2614', dark_fg: '#ffb877' },
    scenarios: ['conversation', 'agent'],
    api_registration: true,
  },
  {
    name: 'iadvize',
    display_name: 'iAdvize',
    path: '/iadvize',
    verification: 'X-iAdvize-Signature, HMAC-SHA256 of the body',
    badge: { bg: '#dff3ff', fg: '#075b8a', dark_bg: '#10303f', dark_fg: '#8fd3ff' },
    scenarios: ['conversation'],
    api_registration: false,
  },
  {
    name: 'closer',
    display_name: 'Closer',
    path: '/closer',
    verification: 'optional shared token',
    badge: { bg: '#efe3ff', fg: '#5d2ca0', dark_bg: '#2c1d45', dark_fg: '#cfb1ff' },
    scenarios: ['conversation'],
    api_registration: false,
  },
];
