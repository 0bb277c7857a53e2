//! Per-address budgets (sign-in attempts, bad credentials): a token bucket per client address
//! that holds `per_minute` tokens and refills at that rate. Kept in this server's memory: each
//! server of a PostgreSQL deployment counts its own requests, which bounds a guesser to the
//! budget times the servers, and a restart forgets the counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Addresses tracked before the full (idle) buckets are forgotten.
const ADDRESSES_KEPT_MAX: usize = 10_000;

/// One bucket per address.
pub(super) struct AddressBudget {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl AddressBudget {
    /// `per_minute` tokens per address (at least 1), refilled at that rate.
    pub(super) fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` when `address` has a token left, without spending it; else how long until it has.
    pub(super) fn check(&self, address: IpAddr) -> Result<(), Duration> {
        self.spend(address, 0.0)
    }

    /// Spend one of `address`'s tokens; without one left, how long until there is one.
    pub(super) fn take(&self, address: IpAddr) -> Result<(), Duration> {
        self.spend(address, 1.0)
    }

    fn spend(&self, address: IpAddr, cost: f64) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > ADDRESSES_KEPT_MAX {
            buckets.retain(|_, bucket| self.refilled(*bucket, now) < self.per_minute);
        }
        let full = Bucket {
            tokens: self.per_minute,
            at: now,
        };
        let bucket = buckets.entry(address).or_insert(full);
        let tokens = self.refilled(*bucket, now);
        if tokens < 1.0 {
            let per_second = self.per_minute / 60.0;
            return Err(Duration::from_secs_f64((1.0 - tokens) / per_second));
        }
        *bucket = Bucket {
            tokens: tokens - cost,
            at: now,
        };
        Ok(())
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let seconds = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + seconds * self.per_minute / 60.0).min(self.per_minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_spends_its_budget_then_waits_and_others_are_apart() {
        let budget = AddressBudget::new(3);
        let (one, two): (IpAddr, IpAddr) = (
            "10.0.0.1".parse().expect("an address"),
            "::1".parse().expect("an address"),
        );
        for _ in 0..3 {
            assert!(budget.check(one).is_ok());
            assert!(budget.take(one).is_ok());
        }
        let wait = budget.check(one).expect_err("spent");
        assert!(
            wait > Duration::from_secs(15) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(budget.take(one).is_err());
        assert!(budget.take(two).is_ok());
    }
}
