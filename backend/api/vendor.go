package api

import (
	"net/http"

	"hooklens/backend/decode"
	"hooklens/backend/registration"
	"hooklens/backend/simulate"
)

// VendorInfo is what the frontend knows of a vendor: all of it comes from the registry.
type VendorInfo struct {
	decode.Info
	// Scenarios are the names of the vendor's simulated scenarios (none: it cannot be simulated).
	Scenarios []string `json:"scenarios"`
	// APIRegistration is true when Hooklens can register with the vendor through its API.
	APIRegistration bool `json:"api_registration"`
}

// VendorList is the answer of GET /api/v1/vendors: every registered vendor, in detection order.
type VendorList struct {
	Vendors []VendorInfo `json:"vendors"`
}

// listVendors answers the registered vendors: names, display names, badge colours, what they
// can do.
func (s *Server) listVendors(w http.ResponseWriter, r *http.Request) {
	out := VendorList{Vendors: []VendorInfo{}}
	for _, info := range s.Registry.Info() {
		vi := VendorInfo{Info: info, Scenarios: []string{}}
		v := s.Registry.Vendor(info.Name)
		if src, ok := v.(simulate.Source); ok {
			for _, sc := range src.Scenarios() {
				vi.Scenarios = append(vi.Scenarios, sc.Name)
			}
		}
		_, vi.APIRegistration = v.(registration.Registrar)
		out.Vendors = append(out.Vendors, vi)
	}
	writeJSON(w, http.StatusOK, out)
}
