package api

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// CookieName holds the UI token in the browser after the first ?token= visit.
const CookieName = "hooklens_token"

// Guard protects the headless UI listener: a token on every request, a Host allow-list against
// DNS rebinding, and same-origin checks against cross-site requests. It never adds CORS headers.
type Guard struct {
	Token string
	// Hosts are the Host header values accepted ("127.0.0.1:8788", "localhost:8788").
	Hosts []string
}

// Wrap returns next behind the guard.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.hostAllowed(r.Host) {
			deny(w, r, http.StatusForbidden, "forbidden", "this Host is not allowed (DNS rebinding guard)")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
			deny(w, r, http.StatusForbidden, "forbidden", "cross-origin requests are not allowed")
			return
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			deny(w, r, http.StatusForbidden, "forbidden", "cross-site requests are not allowed")
			return
		}
		if t := r.URL.Query().Get("token"); t != "" {
			if !g.match(t) {
				deny(w, r, http.StatusUnauthorized, "unauthorized", "wrong token")
				return
			}
			http.SetCookie(w, &http.Cookie{Name: CookieName, Value: t, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteStrictMode})
			if r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") {
				u := *r.URL
				q := u.Query()
				q.Del("token")
				u.RawQuery = q.Encode()
				http.Redirect(w, r, (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String(), http.StatusSeeOther)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if !g.match(bearer(r)) {
			if c, err := r.Cookie(CookieName); err != nil || !g.match(c.Value) {
				deny(w, r, http.StatusUnauthorized, "unauthorized",
					"a token is required: open the UI URL that `hooklens serve` printed")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (g *Guard) hostAllowed(host string) bool {
	for _, h := range g.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

func (g *Guard) match(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(g.Token)) == 1
}

func bearer(r *http.Request) string {
	a := r.Header.Get("Authorization")
	if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}

func deny(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, ErrorResponse{Error: APIError{Code: code, Message: msg}})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("Hooklens: " + msg + "\n"))
}

// LoopbackHosts returns the Host values a loopback listener at addr ("127.0.0.1:8788") answers to.
func LoopbackHosts(addr string) []string {
	host, port, ok := strings.Cut(addr, ":")
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		host, port, ok = addr[:i], addr[i+1:], true
	}
	if !ok {
		return []string{addr}
	}
	hosts := []string{addr, "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
	if host != "" && host != "localhost" && host != "127.0.0.1" && host != "[::1]" {
		hosts = append(hosts, host+":"+port)
	}
	return hosts
}
