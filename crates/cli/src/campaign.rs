//! `rampart campaign FILE`: many nights with the stocks carried over, or
//! budgets compared on common seeds.

use std::path::Path;
use std::process::ExitCode;

use rampart_model::campaign::{self, Campaign};
use rampart_model::overrides::{self, Override};
use rampart_study::{BudgetComparison, CampaignResult, CampaignStudy};

use crate::BadInput;
use crate::args::{CampaignArgs, ShowProgress};
use crate::progress::Bar;
use crate::study::{
    check_metric, glance, named_overrides, out_dir, print_comparison, with_threads,
};

/// Checks campaign `text` of the file at `path`, reading its night scenario
/// from beside that file (validate and campaign both read it so).
pub fn check_beside(path: &Path, text: &str) -> campaign::CheckedCampaign {
    rampart_study::check_campaign_file(path, text)
}

/// Checks campaign `text` (from `path`, or `what` says how it was changed
/// from it); loads its night scenario beside it.
fn check(path: &Path, text: &str, what: &str) -> anyhow::Result<Campaign> {
    let checked = check_beside(path, text);
    // A changed campaign's lines are those of the changed text, not the file's.
    let shown = format!("{}{what}", path.display());
    for d in &checked.diagnostics {
        eprintln!("{}", d.render(&shown));
    }
    checked.campaign.ok_or_else(|| {
        BadInput::Message(format!(
            "{shown} is not a valid campaign ({} problem(s) above)",
            checked.diagnostics.len()
        ))
        .into()
    })
}

pub fn campaign(a: &CampaignArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    let text = std::fs::read_to_string(&a.file).map_err(|source| BadInput::Read {
        path: a.file.clone(),
        source,
    })?;
    if campaign::file_kind(&text) == campaign::FileKind::Scenario {
        return Err(BadInput::Message(format!(
            "{0} is a scenario (one night), not a campaign: play it with `rampart run` or `rampart mc`, or write a campaign file with a [campaign] table naming it (scenario = \"{0}\"; docs/campaign.md)",
            a.file.display()
        ))
        .into());
    }
    let text = if a.set.is_empty() {
        text
    } else {
        let list = crate::parse_sets(&a.set)?;
        overrides::apply_in(&campaign::ROOT, &text, &list).map_err(crate::invalid("--set"))?
    };
    let what = if a.set.is_empty() {
        String::new()
    } else {
        format!(" (with --set {})", a.set.join(" --set "))
    };
    let base = check(&a.file, &text, &what)?;
    let nights = a.nights.unwrap_or(base.nights);
    if !(1..=campaign::MAX_NIGHTS).contains(&nights) {
        return Err(BadInput::Message(format!(
            "--nights {nights}: expected 1 to {}",
            campaign::MAX_NIGHTS
        ))
        .into());
    }
    if a.reps == 0 {
        return Err(BadInput::Message("--reps must be at least 1".into()).into());
    }
    let base_seed = a.seed.unwrap_or(base.seed);
    if !a.budget_variants.is_empty() {
        return budgets(a, &text, base, nights, base_seed);
    }
    let study = CampaignStudy {
        campaign: &base,
        nights,
        base_seed,
    };
    let bar = Bar::new(a.reps, "campaigns", ShowProgress::from_quiet(a.quiet));
    let result = with_threads(a.threads, || study.run(a.reps, &bar))?;
    drop(bar);
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        let json = serde_json::to_string_pretty(&result)?;
        crate::write_atomic(&dir.join("campaign.json"), format!("{json}\n").as_bytes())?;
        crate::write_atomic(
            &dir.join("nights.csv"),
            rampart_report::campaign::nights_csv(&result).as_bytes(),
        )?;
        for (stem, _, svg) in rampart_report::campaign::plots(&result) {
            crate::write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
        }
    }
    if let Some(path) = &a.report {
        let map = glance(&base.scenario, base_seed, base.policy);
        let page = rampart_report::campaign::report(&map, &result);
        crate::write_atomic(path, page.as_bytes())?;
    }
    if a.json {
        outln!("{}", serde_json::to_string(&result)?);
    } else {
        print_summary(&result, nights);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(r: &CampaignResult, nights: u32) {
    outln!(
        "{}: {nights} nights, {} replications (base seed {})",
        r.campaign,
        r.replications,
        r.base_seed
    );
    outln!("interceptor stocks:");
    for (depot, dry) in &r.dry {
        match &dry.night {
            Some(e) => outln!(
                "  {depot:<20} ran dry in {} of {} replications, on night {:.1} [{:.1}, {:.1}]",
                dry.ran_dry,
                r.replications,
                e.mean,
                e.ci95_low,
                e.ci95_high
            ),
            None => outln!("  {depot:<20} never ran dry"),
        }
    }
    outln!(
        "over the campaign (mean [95% interval] of {} replications):",
        r.replications
    );
    for (k, e) in &r.totals {
        if k.starts_with("dry_night.") {
            continue;
        }
        let show = |x: f64| {
            if k.ends_with("cost") {
                rampart_report::html::dollars(x)
            } else {
                rampart_report::html::thousands(x, 1)
            }
        };
        let name = match k.as_str() {
            "other" => "other (*)",
            k => k,
        };
        outln!(
            "  {name:<20} {:>16} [{}, {}]",
            show(e.mean),
            show(e.ci95_low),
            show(e.ci95_high)
        );
    }
    outln!(
        "  (*) launched = neutralised (killed or jammed) + leaked + other: decoys that ran out of fuel, armed threats that fell short, threats still flying at dawn"
    );
}

fn budgets(
    a: &CampaignArgs,
    text: &str,
    base: Campaign,
    nights: u32,
    base_seed: u64,
) -> anyhow::Result<ExitCode> {
    let mut named: Vec<(String, Vec<Override>)> = a
        .budget_variants
        .iter()
        .map(|v| {
            named_overrides(
                "--budget-variant",
                v,
                "drones=defender.interceptor-drones.per_month=1200",
            )
        })
        .collect::<Result<_, _>>()?;
    if named.len() == 1 {
        named.insert(0, ("base".into(), Vec::new()));
    }
    let texts = rampart_study::budget_texts(text, &named).map_err(|e| BadInput::Invalid {
        what: "--budget-variant".into(),
        source: Box::new(e),
    })?;
    let mut campaigns = Vec::new();
    for (name, changed) in &texts {
        campaigns.push(check(
            &a.file,
            changed,
            &format!(" (as changed by budget `{name}`)"),
        )?);
    }
    let study = BudgetComparison {
        variants: named
            .iter()
            .map(|(n, _)| n.clone())
            .zip(campaigns.iter())
            .collect(),
        nights,
        base_seed,
    };
    let bar = Bar::new(
        a.reps,
        "paired campaigns",
        ShowProgress::from_quiet(a.quiet),
    );
    let result = with_threads(a.threads, || study.run(a.reps, &bar))?;
    drop(bar);
    check_metric(&result, &a.metric, "campaign total")?;
    let verdicts = result.verdicts_per(&a.metric, "campaign");
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        let json = serde_json::to_string_pretty(&result)?;
        crate::write_atomic(&dir.join("budgets.json"), format!("{json}\n").as_bytes())?;
    }
    if let Some(path) = &a.report {
        let map = glance(&base.scenario, base_seed, base.policy);
        let page = rampart_report::campaign::budget_report(&map, &base.name, &result, &verdicts);
        crate::write_atomic(path, page.as_bytes())?;
    }
    let header = format!(
        "{} paired campaigns of {nights} nights (base seed {base_seed})",
        result.replications
    );
    print_comparison(&result, &a.metric, &verdicts, a.json, &header)?;
    Ok(ExitCode::SUCCESS)
}
