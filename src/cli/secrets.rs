//! Secrets from the environment, files or flags. Nothing here prints a secret.

use super::args::SecretArgs;
use sigdiff::address::Provider;
use sigdiff::error::{InputError, Result};
use sigdiff::Secret;

/// Conventional environment variables per provider (DESIGN "Secrets").
pub fn env_names(
    p: Provider,
) -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
) {
    match p {
        Provider::Oss => (
            &["OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
            &["OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID"],
            &["OSS_SESSION_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"],
        ),
        Provider::Cos => (
            &["COS_SECRET_KEY", "TENCENTCLOUD_SECRET_KEY"],
            &["COS_SECRET_ID", "TENCENTCLOUD_SECRET_ID"],
            &["COS_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"],
        ),
    }
}

/// First set variable of a list.
pub fn first_env(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

/// Secrets in the order to try: the one paired with `access_key_id` first.
/// Returns `(secrets, ids)` where `ids[i]` is the AccessKeyId a file line named.
pub fn load(
    args: &SecretArgs,
    provider: Provider,
    access_key_id: Option<&str>,
) -> Result<Vec<(Option<String>, Secret)>> {
    let mut out: Vec<(Option<String>, Secret)> = Vec::new();
    if let Some(v) = &args.secret {
        eprintln!("sigdiff: warning: a secret on the command line is visible in the process list and shell history; prefer --secret-env or --secret-file");
        out.push((None, Secret::new(v.clone())));
    }
    if let Some(var) = &args.secret_env {
        let v = std::env::var(var).map_err(|_| {
            InputError::new(
                "no-secret",
                format!("environment variable `{var}` is not set (or not UTF-8)"),
            )
        })?;
        out.push((None, Secret::new(v)));
    }
    if let Some(path) = &args.secret_file {
        let text = std::fs::read(path).map_err(|e| {
            InputError::new("io", format!("cannot read secret file: {e}"))
                .at(path.display().to_string())
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            InputError::new("invalid-utf8", "the secret file is not UTF-8")
                .at(path.display().to_string())
        })?;
        let mut n = 0;
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            n += 1;
            match line.split_once(':') {
                Some((id, s))
                    if !id.is_empty()
                        && id
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"._=-".contains(&b)) =>
                {
                    out.push((Some(id.to_string()), Secret::new(s)))
                }
                _ => out.push((None, Secret::new(line))),
            }
        }
        if n == 0 {
            return Err(
                InputError::new("no-secret", "the secret file holds no secret")
                    .at(path.display().to_string()),
            );
        }
    }
    if out.is_empty() {
        if let Some(v) = first_env(env_names(provider).0) {
            out.push((None, Secret::new(v)));
        }
    }
    if let Some(ak) = access_key_id {
        // Stable: the secrets named for this AccessKeyId first.
        out.sort_by_key(|(id, _)| id.as_deref() != Some(ak) && id.is_some());
    }
    Ok(out)
}
