package cn.yekuo.hub.web;

import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import cn.yekuo.hub.deadletters.DeadLetterLog;
import cn.yekuo.hub.deadletters.DeadLetterQueue;
import cn.yekuo.hub.deadletters.DeadMails;

/**
 * The dashboard's dead-letter view ({@code /dead-letters}): the messages of {@code yk.dlq} with why each is there, one
 * message's body and properties, and the representatives' replay or discard (forms with CSRF tokens).
 */
@Controller
public class DeadLetterController {

    private final DeadLetterQueue queue;
    private final DeadLetterLog audit;
    private final DeadMails mails;

    public DeadLetterController(DeadLetterQueue queue, DeadLetterLog audit, DeadMails mails) {
        this.queue = queue;
        this.audit = audit;
        this.mails = mails;
    }

    @ModelAttribute("user")
    public String user(java.security.Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    @GetMapping("/dead-letters")
    public String page(@RequestParam(name = "q", required = false) String q, Model model, Authentication user) {
        model.addAttribute("listing", queue.list(q == null || q.length() > 128 ? null : q));
        model.addAttribute("q", q);
        model.addAttribute("log", audit.latest(20));
        model.addAttribute("deadMails", mails.list());
        model.addAttribute("canAct", DashboardController.isRep(user));
        return "dead-letters";
    }

    @GetMapping("/dead-letters/{id}")
    public String one(@PathVariable String id, Model model, Authentication user) {
        DeadLetterApiController.LetterView view = DeadLetterApiController.view(queue, id);
        model.addAttribute("view", view);
        model.addAttribute("canAct", DashboardController.isRep(user));
        return "dead-letter";
    }

    @PostMapping("/dead-letters/mails/{id}/retry")
    public String retry(@PathVariable String id, @RequestParam Map<String, String> form, Authentication user,
                        RedirectAttributes redirect) {
        try {
            DeadLetterApiController.Done done = DeadLetterApiController.retry(mails, id, form, user.getName());
            redirect.addFlashAttribute("done", "retry");
            redirect.addFlashAttribute("doneId", id);
            redirect.addFlashAttribute("doneQueue", done.queue());
        } catch (ApiException e) {
            redirect.addFlashAttribute("failed", "retry");
            redirect.addFlashAttribute("failedId", id);
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/dead-letters";
    }

    @PostMapping("/dead-letters/{id}/{action}")
    public String act(@PathVariable String id, @PathVariable String action, @RequestParam Map<String, String> form,
                      Authentication user, RedirectAttributes redirect) {
        if (!Set.of("replay", "discard").contains(action)) {
            throw ApiException.notFound("unknown action '" + action + "'");
        }
        try {
            DeadLetterApiController.Done done = DeadLetterApiController.perform(queue, id, action, form, user.getName());
            redirect.addFlashAttribute("done", action);
            redirect.addFlashAttribute("doneId", id);
            redirect.addFlashAttribute("doneQueue", done.queue());
            return "redirect:/dead-letters";
        } catch (ApiException e) {
            redirect.addFlashAttribute("failed", action);
            redirect.addFlashAttribute("failedId", id);
            redirect.addFlashAttribute("failure", e.getMessage());
            return "redirect:/dead-letters";
        }
    }
}
