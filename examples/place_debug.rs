fn main() {
    let g = retrace::place::Gazetteer::embedded();
    for a in std::env::args().skip(1) {
        for p in g.lookup(&a).iter().take(8) {
            println!(
                "{a}\t{}\t{}\t{}\t{}\t{:?}",
                p.id, p.name, p.country, p.population, p.kind
            );
        }
    }
}
