//! Consent is never loosened by an upsert file, whatever its subscription columns say: every
//! combination of the three stored statuses against every combination of the file's columns.

use crate::Bench;
use panorama_core::contact::Channel;
use panorama_import::Purpose;

#[tokio::test]
async fn an_upsert_file_can_unsubscribe_but_never_resubscribe() {
    let bench = Bench::new().await;
    let mut number = 0;
    for stored in 0..8u8 {
        // Bring a contact to the stored statuses (bit set = unsubscribed).
        number += 1;
        let mobile = format!("139{number:08}");
        let no = |bit: u8| if stored & bit != 0 { "no" } else { "" };
        let setup = format!(
            "mobile,global_subscribed,email_subscribed,mobile_subscribed\n{mobile},{},{},{}\n",
            no(1),
            no(2),
            no(4)
        );
        bench.import(&setup, Purpose::Upsert).await;
        for file in 0..27u8 {
            // Each column: empty, yes or no.
            let cell = |position: u32| ["", "yes", "否"][usize::from(file / 3u8.pow(position) % 3)];
            let text = format!(
                "mobile,global_subscribed,email_subscribed,mobile_subscribed\n{mobile},{},{},{}\n",
                cell(0),
                cell(1),
                cell(2)
            );
            let before = bench
                .find("mobile", &format!("+86{mobile}"))
                .await
                .unwrap()
                .subscription;
            let report = bench.import(&text, Purpose::Upsert).await;
            let after = bench
                .find("mobile", &format!("+86{mobile}"))
                .await
                .unwrap()
                .subscription;
            for (position, channel) in [Channel::Global, Channel::Email, Channel::Mobile]
                .into_iter()
                .enumerate()
            {
                let was = before.channel(channel).subscribed;
                let now = after.channel(channel).subscribed;
                let asked = cell(u32::try_from(position).unwrap());
                assert!(
                    was || !now,
                    "{text}: {} was turned back on",
                    channel.as_str()
                );
                assert_eq!(now, was && asked != "否", "{text}: {}", channel.as_str());
            }
            let kept = (0..3).any(|p| {
                cell(p) == "yes"
                    && !after
                        .channel([Channel::Global, Channel::Email, Channel::Mobile][p as usize])
                        .subscribed
            });
            assert_eq!(report.counts.consent_kept, u64::from(kept), "{text}");
        }
    }
}
