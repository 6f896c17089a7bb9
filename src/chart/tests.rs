use super::Chart;

/// A chart's name, caption and place in a report come from its kind: a
/// Gantt on one page is `gantt` and not a page; a paged one is
/// `gantt-01` … with page captions, and only those count as pages.
#[test]
fn a_charts_name_and_caption_come_from_its_kind() {
    let one = Chart::GanttPage { page: 0, of: 1 };
    assert_eq!(
        (one.stem(), one.caption()),
        ("gantt".into(), "Gantt chart".into())
    );
    assert!(!one.is_gantt_page());
    let tenth = Chart::GanttPage { page: 9, of: 12 };
    assert_eq!(tenth.stem(), "gantt-10");
    assert_eq!(tenth.caption(), "Gantt chart, page 10");
    assert!(tenth.is_gantt_page() && !tenth.is_public());
    assert_eq!(Chart::GanttOverview.stem(), "gantt");
    assert!(!Chart::GanttOverview.is_gantt_page());
    let public = [Chart::PublicBurndown, Chart::PublicGantt];
    assert!(public
        .iter()
        .all(|c| c.is_public() && c.stem().starts_with("public/")));
    assert_eq!(
        Chart::PublicGantt.caption(),
        "When each tier's sites are cleared"
    );
    let order = [
        Chart::GanttOverview,
        Chart::Burndown,
        Chart::Budget,
        Chart::Crews,
        Chart::Tornado,
    ];
    assert!(order.windows(2).all(|w| w[0].rank() < w[1].rank()));
}
