//! Prints the model of a Dockerfile: `cargo run --example dump -- FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump FILE")?;
    let text = std::fs::read_to_string(path)?;
    let parsed = cct_dockerfile::parse(&text);
    for e in &parsed.errors {
        eprintln!("error: {e}");
    }
    let (model, _spans) = parsed.dockerfile.model();
    println!("{}", serde_json::to_string_pretty(&model)?);
    Ok(())
}
