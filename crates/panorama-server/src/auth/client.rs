//! The client address a request comes from, for the per-address limits: the connection's peer,
//! or, when that peer is a proxy the operator named (`--trusted-proxies`), the address the proxy
//! put in `X-Forwarded-For`. A header from anyone else is ignored: any client can write one.

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The proxies whose `X-Forwarded-For` is believed: addresses and CIDR blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parse a comma-separated list of addresses (`10.0.0.5`, `::1`) and blocks (`10.0.0.0/8`);
    /// an empty text trusts nobody. The error names the entry that is neither.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => entry.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!("`{entry}` is neither an IP address nor a CIDR block (10.0.0.0/8)")
                })?,
            };
            nets.push(net);
        }
        Ok(Self(nets))
    }

    /// Whether `address` is one of these proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }
}

/// The address a request is counted against. Without the connection's address (a router
/// called without `ConnectInfo`) every request shares the unspecified address: limits then hold
/// for all together rather than for nobody. An IPv6 client counts as its whole /64 network
/// ([`counted`]).
pub fn client_address(
    extensions: &Extensions,
    headers: &HeaderMap,
    proxies: &TrustedProxies,
) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    counted(forwarded_for(canonical(peer), headers, proxies))
}

/// Bits of an IPv6 address that name one client: a subscriber is given a whole /64 and picks
/// any address in it, so counting full addresses would give a guesser 2^64 fresh budgets.
const IPV6_CLIENT_PREFIX_BITS: u8 = 64;

/// The address limits count: IPv4 as is, IPv6 cut to its /64 network.
fn counted(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(_) => {
            IpNet::new(address, IPV6_CLIENT_PREFIX_BITS).map_or(address, |net| net.network())
        }
        IpAddr::V4(_) => address,
    }
}

/// Walk `X-Forwarded-For` from the nearest hop back while each hop is a trusted proxy; the first
/// one that is not is the client. A malformed entry stops the walk at the last trusted hop.
fn forwarded_for(peer: IpAddr, headers: &HeaderMap, proxies: &TrustedProxies) -> IpAddr {
    if !proxies.trusts(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(address) = hop.parse::<IpAddr>() else {
            break;
        };
        client = canonical(address);
        if !proxies.trusts(client) {
            break;
        }
    }
    client
}

/// IPv4 addresses reached over IPv6 (`::ffff:10.0.0.1`) as plain IPv4, so both spellings are one
/// client and match one block.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 203.0.113.9, 10.0.0.7"),
        );
        let nobody = TrustedProxies::default();
        assert_eq!(
            forwarded_for(ip("10.0.0.5"), &headers, &nobody),
            ip("10.0.0.5")
        );
        let proxies = TrustedProxies::parse("10.0.0.0/8, ::1").expect("valid");
        // 10.0.0.7 is another proxy of ours; 203.0.113.9 is the first hop we do not run.
        assert_eq!(
            forwarded_for(ip("10.0.0.5"), &headers, &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            forwarded_for(ip("192.0.2.1"), &headers, &proxies),
            ip("192.0.2.1")
        );
        assert!(proxies.trusts(ip("::ffff:10.1.2.3")));
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(forwarded_for(ip("::1"), &headers, &proxies), ip("::1"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert_eq!(TrustedProxies::parse(" ").expect("empty"), nobody);
    }

    #[test]
    fn an_ipv6_client_counts_as_its_whole_64_network() {
        assert_eq!(counted(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(
            counted(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")),
            counted(ip("2001:db8:1:2::7"))
        );
        assert_ne!(
            counted(ip("2001:db8:1:3::1")),
            counted(ip("2001:db8:1:2::1"))
        );
        assert_eq!(counted(ip("203.0.113.9")), ip("203.0.113.9"));
    }
}
