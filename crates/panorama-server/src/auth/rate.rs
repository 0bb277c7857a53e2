//! Per-key rate limits: a token bucket per API key (the `governor` crate's GCRA), answered with
//! 429 and `Retry-After` when a key asks faster than its rate plus burst.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;
use uuid::Uuid;

/// Keys held before idle ones are forgotten: the map's size stays bounded by the keys in use.
pub(super) const RATE_LIMITED_KEYS_MAX: usize = 10_000;

/// One bucket per key id.
pub(super) struct KeyLimiter {
    limiter: DefaultKeyedRateLimiter<Uuid>,
    clock: DefaultClock,
}

impl KeyLimiter {
    /// `per_second` sustained, `burst` at once (each at least 1).
    pub(super) fn new(per_second: u32, burst: u32) -> Self {
        let per_second = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(per_second).max(per_second);
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when `key_id` may make a request now, else how long until it may.
    pub(super) fn check(&self, key_id: Uuid) -> Result<(), Duration> {
        // Forget idle keys now and then, so the map holds only keys in use.
        if self.limiter.len() > RATE_LIMITED_KEYS_MAX {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key_id)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_waits_and_keys_are_separate() {
        let limiter = KeyLimiter::new(2, 3);
        let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
        for _ in 0..3 {
            assert!(limiter.check(first).is_ok());
        }
        let wait = limiter.check(first).expect_err("over the burst");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert!(limiter.check(second).is_ok());
    }
}
