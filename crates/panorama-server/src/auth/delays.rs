//! Sign-in delays per (name, client address): after `failures_before_delay` wrong passwords in
//! a row from one address, that address waits 1, 2, 4 ... seconds (doubling, capped) before it
//! may try that name again. Only the address that failed waits: the owner signing in from their
//! own address is not slowed by a guesser elsewhere, and nobody can lock anyone out. Any name
//! typed is counted, known or not, so the answers cannot tell which names exist.
//!
//! Kept in this server's memory (like the per-address budgets): each server of a PostgreSQL
//! deployment delays the guesses it sees, a restart forgets them, and an admin's lift applies to
//! the server that answers it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Pairs tracked before the ones not delayed now are forgotten.
const PAIRS_KEPT_MAX: usize = 100_000;
/// A pair quiet this long starts counting again.
const QUIET_RESETS_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The settings of the delays.
#[derive(Debug, Clone, Copy)]
pub(super) struct DelayRule {
    pub(super) failures_before_delay: u32,
    pub(super) first_delay: Duration,
    pub(super) delay_max: Duration,
}

/// Failures and delays per (lower-case name, address).
pub(super) struct SignInDelays {
    rule: DelayRule,
    pairs: Mutex<HashMap<(String, IpAddr), Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    until: Option<Instant>,
}

impl SignInDelays {
    pub(super) fn new(rule: DelayRule) -> Self {
        Self {
            rule,
            pairs: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `name` tried from `address` must wait now.
    pub(super) fn is_delayed(&self, name: &str, address: IpAddr) -> bool {
        let now = Instant::now();
        let pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        pairs
            .get(&(key(name), address))
            .and_then(|failures| failures.until)
            .is_some_and(|until| until > now)
    }

    /// Count a wrong password (or unknown name) from `address`.
    pub(super) fn failed(&self, name: &str, address: IpAddr) {
        let now = Instant::now();
        let mut pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        if pairs.len() > PAIRS_KEPT_MAX {
            pairs.retain(|_, failures| failures.until.is_some_and(|until| until > now));
        }
        let failures = pairs.entry((key(name), address)).or_insert(Failures {
            count: 0,
            last: now,
            until: None,
        });
        if now.saturating_duration_since(failures.last) > QUIET_RESETS_AFTER {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
        failures.until = self.delay(failures.count).map(|delay| now + delay);
    }

    /// A good password from `address`: its count for `name` starts again.
    pub(super) fn succeeded(&self, name: &str, address: IpAddr) {
        let mut pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        pairs.remove(&(key(name), address));
    }

    /// Forget every failure of `name` from every address; how many addresses were waiting.
    pub(super) fn lift(&self, name: &str) -> usize {
        let now = Instant::now();
        let name = key(name);
        let mut pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waiting = 0;
        pairs.retain(|(pair_name, _), failures| {
            if *pair_name != name {
                return true;
            }
            waiting += usize::from(failures.until.is_some_and(|until| until > now));
            false
        });
        waiting
    }

    /// How long until the last address waiting to try `name` may try again, if any waits.
    pub(super) fn waiting(&self, name: &str) -> Option<Duration> {
        let now = Instant::now();
        let name = key(name);
        let pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        pairs
            .iter()
            .filter(|((pair_name, _), _)| *pair_name == name)
            .filter_map(|(_, failures)| failures.until)
            .filter(|until| *until > now)
            .max()
            .map(|until| until - now)
    }

    /// The delay after `count` failures in a row: none before the threshold, then the first
    /// delay doubling with each further failure, capped.
    fn delay(&self, count: u32) -> Option<Duration> {
        let past = count.checked_sub(self.rule.failures_before_delay)?;
        let factor = 1u32.checked_shl(past.min(31)).unwrap_or(u32::MAX);
        let delay = self.rule.first_delay.saturating_mul(factor);
        Some(delay.min(self.rule.delay_max))
    }
}

/// Names as typed are trimmed and lower-cased (as `UserName` stores them) and cut to a name's
/// length, so `Admin` and `admin ` are one name and a huge typed name costs little memory.
fn key(name: &str) -> String {
    name.trim().to_lowercase().chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delays() -> SignInDelays {
        SignInDelays::new(DelayRule {
            failures_before_delay: 3,
            first_delay: Duration::from_secs(60),
            delay_max: Duration::from_secs(200),
        })
    }

    #[test]
    fn delays_double_per_pair_and_cap() {
        let rule = delays();
        assert_eq!(rule.delay(2), None);
        assert_eq!(rule.delay(3), Some(Duration::from_secs(60)));
        assert_eq!(rule.delay(4), Some(Duration::from_secs(120)));
        assert_eq!(rule.delay(5), Some(Duration::from_secs(200)));
        assert_eq!(rule.delay(u32::MAX), Some(Duration::from_secs(200)));
    }

    #[test]
    fn only_the_failing_address_waits_until_lifted() {
        let rule = delays();
        let (guesser, owner): (IpAddr, IpAddr) = (
            "203.0.113.9".parse().expect("an address"),
            "10.0.0.2".parse().expect("an address"),
        );
        for _ in 0..3 {
            assert!(!rule.is_delayed("admin", guesser));
            rule.failed("Admin ", guesser);
        }
        assert!(rule.is_delayed("admin", guesser));
        assert!(!rule.is_delayed("admin", owner));
        assert!(!rule.is_delayed("other", guesser));
        assert!(rule.waiting("ADMIN").is_some());
        assert_eq!(rule.lift("admin"), 1);
        assert!(!rule.is_delayed("admin", guesser));
        assert!(rule.waiting("admin").is_none());
        rule.failed("admin", owner);
        rule.succeeded("admin", owner);
        assert_eq!(rule.lift("admin"), 0);
    }
}
